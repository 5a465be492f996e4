// A console host for the PowerShell engine: nestvirt launches it exactly as it launches
// powershell.exe or pwsh, because Main hands its arguments to pwsh's own entry point.
// When a simulator state file is named, each launch is appended to its "calls" log first,
// so tests and the benchmark can count PowerShell processes. NESTVIRT_SIM_PRELOAD (set by
// scripts/with-sim) names a module imported ahead of an -EncodedCommand script (see PrependImport).
using System;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading;

public static class Program
{
    public static int Main(string[] args)
    {
        // No telemetry, no update check: tests run offline and must not phone home.
        Environment.SetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT", "1");
        Environment.SetEnvironmentVariable("POWERSHELL_UPDATECHECK", "Off");
        Environment.SetEnvironmentVariable("POWERSHELL_CLI_TELEMETRY_OPTOUT", "1");

        string? state = Environment.GetEnvironmentVariable("NESTVIRT_SIM_STATE");
        if (!string.IsNullOrEmpty(state) && File.Exists(state))
        {
            RecordLaunch(state, args);
        }
        // The simulator's PowerShell Direct stand-in defines Invoke-Command, which a built-in
        // cmdlet of that name hides from module auto-loading: import it before the script runs.
        // After RecordLaunch, so the log keeps the arguments nestvirt really passed.
        string? preload = Environment.GetEnvironmentVariable("NESTVIRT_SIM_PRELOAD");
        if (!string.IsNullOrEmpty(preload))
        {
            PrependImport(args, preload);
        }
        return Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);
    }

    // Rewrites the value of -EncodedCommand (or its short forms -ec, -e): base64 of UTF-16LE text.
    // The import goes on the script's first line, so line numbers in errors stay the same.
    private static void PrependImport(string[] args, string module)
    {
        for (int i = 0; i + 1 < args.Length; i++)
        {
            string name = args[i].ToLowerInvariant();
            if (name != "-encodedcommand" && name != "-ec" && name != "-e")
            {
                continue;
            }
            string script = System.Text.Encoding.Unicode.GetString(Convert.FromBase64String(args[i + 1]));
            // A single-quoted literal: ' and the typographic quotes PowerShell also accepts, doubled.
            var quoted = new System.Text.StringBuilder("'");
            foreach (char c in module)
            {
                quoted.Append(c);
                if (c == '\'' || (c >= '\u2018' && c <= '\u201B'))
                {
                    quoted.Append(c);
                }
            }
            quoted.Append('\'');
            string rewritten = "Import-Module " + quoted + "; " + script;
            args[i + 1] = Convert.ToBase64String(System.Text.Encoding.Unicode.GetBytes(rewritten));
            return;
        }
    }

    private static void RecordLaunch(string path, string[] args)
    {
        // The simulator modules rewrite the same file; take it exclusively and retry briefly.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                var reader = new StreamReader(stream);
                JsonNode root = JsonNode.Parse(reader.ReadToEnd()) ?? new JsonObject();
                if (root["calls"] is not JsonArray calls)
                {
                    calls = new JsonArray();
                    root["calls"] = calls;
                }
                var argArray = new JsonArray();
                foreach (string a in args)
                {
                    argArray.Add(a);
                }
                calls.Add(new JsonObject
                {
                    ["type"] = "launch",
                    ["pid"] = Environment.ProcessId,
                    ["args"] = argArray,
                    ["time"] = DateTime.UtcNow.ToString("o"),
                });
                stream.SetLength(0);
                var writer = new StreamWriter(stream);
                writer.Write(root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                writer.Flush();
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(20);
            }
        }
    }
}
