// A console host for the PowerShell engine: nestvirt launches it exactly as it launches
// powershell.exe or pwsh, because Main hands its arguments to pwsh's own entry point.
// When a simulator state file is named, each launch is appended to its "calls" log first,
// so tests and the benchmark can count PowerShell processes.
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
        return Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);
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
