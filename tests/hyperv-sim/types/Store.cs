// The simulator's state: one JSON file named by NESTVIRT_SIM_STATE, shared by every PowerShell
// process of a test (and by tests/pwsh-host, which appends its "launch" entries to "calls").
//
// In memory the state is plain PowerShell-friendly data: objects are OrderedDictionary (keys
// case-insensitive, so $vm.name works), arrays are List<object>, integers long, other numbers double.
// A process keeps the parsed state between cmdlet calls and re-reads the file only when its length
// or modification time differs from what this process last wrote or read. Every cmdlet call is one
// transaction: Begin takes an exclusive lock on the file (FileShare.None = flock on Linux, the same
// lock pwsh-host takes), Commit writes the whole document back in place and releases the lock, so a
// process killed between calls leaves the log complete up to its last call.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Runtime.CompilerServices;
using System.Threading;

namespace NestvirtSim
{
    public static class Json
    {
        public static object Parse(string text)
        {
            var options = new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
            using (JsonDocument doc = JsonDocument.Parse(text, options))
            {
                return FromElement(doc.RootElement);
            }
        }

        public static OrderedDictionary NewObject()
        {
            return new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        }

        private static object FromElement(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    var d = NewObject();
                    foreach (JsonProperty p in e.EnumerateObject())
                    {
                        d[p.Name] = FromElement(p.Value);
                    }
                    return d;
                case JsonValueKind.Array:
                    var list = new List<object>();
                    foreach (JsonElement item in e.EnumerateArray())
                    {
                        list.Add(FromElement(item));
                    }
                    return list;
                case JsonValueKind.String:
                    return e.GetString();
                case JsonValueKind.Number:
                    long l;
                    if (e.TryGetInt64(out l)) return l;
                    return e.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }

        public static string Serialize(object value, bool indented)
        {
            return Encoding.UTF8.GetString(SerializeBytes(value, indented));
        }

        public static byte[] SerializeBytes(object value, bool indented)
        {
            var options = new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            using (var ms = new MemoryStream())
            {
                using (var w = new Utf8JsonWriter(ms, options))
                {
                    Write(w, value, 0);
                }
                return ms.ToArray();
            }
        }

        internal static void Write(Utf8JsonWriter w, object value, int depth)
        {
            if (depth > 64) { w.WriteStringValue("<too deep>"); return; }
            if (value is PSObject pso)
            {
                if (pso.BaseObject is PSCustomObject)
                {
                    w.WriteStartObject();
                    foreach (PSPropertyInfo p in pso.Properties)
                    {
                        w.WritePropertyName(p.Name);
                        object v;
                        try { v = p.Value; } catch (Exception) { v = null; }
                        Write(w, v, depth + 1);
                    }
                    w.WriteEndObject();
                    return;
                }
                value = pso.BaseObject;
            }
            switch (value)
            {
                case null: w.WriteNullValue(); return;
                case string s: w.WriteStringValue(s); return;
                case bool b: w.WriteBooleanValue(b); return;
                case SwitchParameter sp: w.WriteBooleanValue(sp.IsPresent); return;
                case Enum en: w.WriteStringValue(en.ToString()); return;
                case long l: w.WriteNumberValue(l); return;
                case int i: w.WriteNumberValue(i); return;
                case short sh: w.WriteNumberValue(sh); return;
                case byte by: w.WriteNumberValue(by); return;
                case sbyte sb: w.WriteNumberValue(sb); return;
                case uint ui: w.WriteNumberValue(ui); return;
                case ulong ul: w.WriteNumberValue(ul); return;
                case ushort us: w.WriteNumberValue(us); return;
                case double d:
                    if (double.IsNaN(d) || double.IsInfinity(d)) w.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                    else w.WriteNumberValue(d);
                    return;
                case float f: w.WriteNumberValue(f); return;
                case decimal m: w.WriteNumberValue(m); return;
                case Guid g: w.WriteStringValue(g.ToString()); return;
                case Version v: w.WriteStringValue(v.ToString()); return;
                case DateTime dt: w.WriteStringValue(dt.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture)); return;
                case TimeSpan ts: w.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture)); return;
                case IDictionary dict:
                    w.WriteStartObject();
                    foreach (DictionaryEntry de in dict)
                    {
                        w.WritePropertyName(Convert.ToString(de.Key, CultureInfo.InvariantCulture));
                        Write(w, de.Value, depth + 1);
                    }
                    w.WriteEndObject();
                    return;
                case IEnumerable seq:
                    w.WriteStartArray();
                    foreach (object item in seq)
                    {
                        Write(w, item, depth + 1);
                    }
                    w.WriteEndArray();
                    return;
                default:
                    w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    return;
            }
        }
    }

    public static class Store
    {
        private static string _path;
        private static OrderedDictionary _root;
        private static long _length = -1;
        private static DateTime _mtime;
        private static FileStream _stream;
        private static int _depth;
        private static bool _fsChanged;

        /// <summary>How many times this process parsed the file (for tests of the cache).</summary>
        public static int Loads { get; private set; }

        public static readonly string[] ArrayKeys =
            { "vms", "switches", "nats", "net_adapters", "ip_addresses", "faults", "calls" };

        public static string PathFromEnvironment()
        {
            string p = Environment.GetEnvironmentVariable("NESTVIRT_SIM_STATE");
            if (string.IsNullOrEmpty(p))
            {
                throw new InvalidOperationException(
                    "NESTVIRT_SIM_STATE is not set: the Hyper-V simulator needs a state file (run through scripts/with-sim).");
            }
            if (!File.Exists(p))
            {
                throw new FileNotFoundException("The Hyper-V simulator state file does not exist: " + p, p);
            }
            return Path.GetFullPath(p);
        }

        /// <summary>Locks the state file and returns the state (re-read only if the file changed).</summary>
        public static OrderedDictionary Begin()
        {
            if (_depth > 0)
            {
                _depth++;
                return _root;
            }
            string path = PathFromEnvironment();
            _stream = OpenLocked(path);
            _depth = 1;
            try
            {
                var info = new FileInfo(path);
                if (_root == null || _path != path || info.Length != _length || info.LastWriteTimeUtc != _mtime)
                {
                    _stream.Position = 0;
                    var reader = new StreamReader(_stream, Encoding.UTF8, true, 65536, true);
                    string text = reader.ReadToEnd();
                    object parsed = Json.Parse(text.Length == 0 ? "{}" : text);
                    _root = parsed as OrderedDictionary;
                    if (_root == null)
                    {
                        throw new InvalidDataException("The simulator state must be a JSON object: " + path);
                    }
                    Loads++;
                    _path = path;
                    _length = info.Length;
                    _mtime = info.LastWriteTimeUtc;
                }
                Normalize(_root);
                Clock.ResolvePending(_root);
                // The host's files (types/SimFs.cs): a fresh state gets its folder (and an fs_token to write).
                _fsChanged = SimFs.Prepare(_root, false);
                return _root;
            }
            catch
            {
                Abandon();
                throw;
            }
        }

        /// <summary>Writes the state back and releases the lock (the outermost Commit does).</summary>
        public static void Commit()
        {
            if (_depth == 0) return;
            if (--_depth > 0) return;
            try
            {
                byte[] bytes = SerializeState(_root);
                // Overwrite in place, then cut: truncating first costs milliseconds on ext4.
                _stream.Position = 0;
                _stream.Write(bytes, 0, bytes.Length);
                _stream.SetLength(bytes.Length);
                _stream.Flush();
                var info = new FileInfo(_path);
                _length = info.Length;
                _mtime = info.LastWriteTimeUtc;
            }
            catch
            {
                _root = null;
                throw;
            }
            finally
            {
                _stream.Dispose();
                _stream = null;
            }
        }

        // Entries of "calls" never change once written, so each is serialized once per process and
        // reused: the file is rewritten at every call, and the log is most of it.
        private static readonly ConditionalWeakTable<object, byte[]> Fragments = new ConditionalWeakTable<object, byte[]>();

        private static byte[] SerializeState(OrderedDictionary root)
        {
            var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            using (var ms = new MemoryStream())
            {
                using (var w = new Utf8JsonWriter(ms, options))
                {
                    w.WriteStartObject();
                    foreach (DictionaryEntry e in root)
                    {
                        string key = Convert.ToString(e.Key, CultureInfo.InvariantCulture);
                        w.WritePropertyName(key);
                        if (key == "calls" && e.Value is List<object> calls)
                        {
                            w.WriteStartArray();
                            foreach (object c in calls)
                            {
                                if (c == null) { w.WriteNullValue(); continue; }
                                byte[] fragment;
                                if (!Fragments.TryGetValue(c, out fragment))
                                {
                                    fragment = Json.SerializeBytes(c, false);
                                    Fragments.AddOrUpdate(c, fragment);
                                }
                                w.WriteRawValue(fragment, true);
                            }
                            w.WriteEndArray();
                        }
                        else
                        {
                            Json.Write(w, e.Value, 1);
                        }
                    }
                    w.WriteEndObject();
                }
                return ms.ToArray();
            }
        }

        /// <summary>A calls entry that changes after it was written (a delayed call gets its outcome
        /// later): it is serialized again at the next commit.</summary>
        public static void Rewrite(object entry)
        {
            if (entry != null) Fragments.Remove(entry);
        }

        /// <summary>Releases the lock without writing and forgets the cached state.</summary>
        public static void Abandon()
        {
            _depth = 0;
            _root = null;
            if (_stream != null)
            {
                _stream.Dispose();
                _stream = null;
            }
        }

        public static bool InTransaction { get { return _depth > 0; } }

        /// <summary>The current state for reading only (no call logged, nothing written).</summary>
        public static OrderedDictionary Read()
        {
            if (_depth > 0) return _root;
            OrderedDictionary root = Begin();
            if (_fsChanged)
            {
                // The host's folder was just made for this state: its token must reach the file.
                Commit();
                return root;
            }
            _depth = 0;
            _stream.Dispose();
            _stream = null;
            return root;
        }

        private static FileStream OpenLocked(string path)
        {
            // Other simulator processes hold the lock for milliseconds; wait up to a minute.
            DateTime giveUp = DateTime.UtcNow.AddSeconds(60);
            int delay = 2;
            while (true)
            {
                try
                {
                    return new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 0);
                }
                catch (IOException) when (DateTime.UtcNow < giveUp && File.Exists(path))
                {
                    Thread.Sleep(delay);
                    if (delay < 50) delay *= 2;
                }
            }
        }

        private static void Normalize(OrderedDictionary root)
        {
            foreach (string key in ArrayKeys)
            {
                if (!(root[key] is List<object>))
                {
                    var list = new List<object>();
                    if (root[key] is IEnumerable seq && !(root[key] is string) && !(root[key] is IDictionary))
                    {
                        foreach (object o in seq) list.Add(o);
                    }
                    root[key] = list;
                }
            }
            if (!(root["host"] is OrderedDictionary)) root["host"] = Json.NewObject();
        }

        // ---- the calls log ------------------------------------------------------------------

        /// <summary>Appends {"type":"cmdlet",...} to calls and returns it. "n" counts calls of this
        /// cmdlet, "seq" counts all cmdlet calls, both from the start of the log.</summary>
        public static OrderedDictionary AddCall(OrderedDictionary root, string module, string name, string parameterSet, IDictionary bound)
        {
            var calls = (List<object>)root["calls"];
            long n = 1, seq = 1;
            foreach (object c in calls)
            {
                if (c is IDictionary d && "cmdlet".Equals(d["type"] as string))
                {
                    seq++;
                    if (string.Equals(d["name"] as string, name, StringComparison.OrdinalIgnoreCase)) n++;
                }
            }
            var entry = Json.NewObject();
            entry["type"] = "cmdlet";
            entry["module"] = module;
            entry["name"] = name;
            entry["parameter_set"] = parameterSet;
            entry["parameters"] = Render.Parameters(bound);
            entry["n"] = n;
            entry["seq"] = seq;
            entry["pid"] = (long)Environment.ProcessId;
            entry["time"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
            calls.Add(entry);
            return entry;
        }

        /// <summary>The number of cmdlet calls logged so far.</summary>
        public static long CmdletCallCount(OrderedDictionary root)
        {
            long seq = 0;
            foreach (object c in (List<object>)root["calls"])
            {
                if (c is IDictionary d && "cmdlet".Equals(d["type"] as string)) seq++;
            }
            return seq;
        }

        /// <summary>The first fault of the faults table that fires for this call, with its index.</summary>
        public static OrderedDictionary MatchFault(OrderedDictionary root, string name, long n, out int index)
        {
            index = -1;
            var faults = (List<object>)root["faults"];
            for (int i = 0; i < faults.Count; i++)
            {
                var f = faults[i] as OrderedDictionary;
                if (f == null) continue;
                if (!string.Equals(f["cmdlet"] as string, name, StringComparison.OrdinalIgnoreCase)) continue;
                object call = f["call"];
                bool fires;
                if (call == null)
                {
                    fires = true; // no "call": every call
                }
                else if (call is IList calls)
                {
                    fires = false;
                    foreach (object c in calls) if (Convert.ToInt64(c, CultureInfo.InvariantCulture) == n) fires = true;
                }
                else
                {
                    long k = Convert.ToInt64(call, CultureInfo.InvariantCulture);
                    fires = (f["repeat"] is bool r && r) ? n >= k : n == k;
                }
                if (fires)
                {
                    index = i;
                    return f;
                }
            }
            return null;
        }
    }

    /// <summary>Time-dependent state: a graceful Stop-VM leaves {"pending":{"state":"Off","at":...}}
    /// on the VM; whoever reads the state after that instant sees the VM Off. A guest boot in
    /// progress (guest.boot) advances the same way (Guest.Resolve).</summary>
    public static class Clock
    {
        public static DateTime ParseTime(object value)
        {
            if (value is string s && DateTime.TryParse(s, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t))
            {
                return t;
            }
            return DateTime.MinValue;
        }

        public static string Format(DateTime t)
        {
            return t.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
        }

        public static string Now() { return Format(DateTime.UtcNow); }

        public static string After(double seconds) { return Format(DateTime.UtcNow.AddSeconds(seconds)); }

        public static void ResolvePending(OrderedDictionary root)
        {
            if (!(root["vms"] is List<object> vms)) return;
            DateTime now = DateTime.UtcNow;
            foreach (object o in vms)
            {
                if (!(o is OrderedDictionary vm)) continue;
                if (vm["pending"] is OrderedDictionary p && p["at"] != null && now >= ParseTime(p["at"]))
                {
                    // (A pending transition without "at" never completes: a guest that hangs.)
                    vm["state"] = p["state"];
                    if ("Off".Equals(p["state"] as string, StringComparison.OrdinalIgnoreCase))
                    {
                        vm["started_at"] = null;
                        Guest.PoweredOff(vm);
                    }
                    vm.Remove("pending");
                }
                Guest.Resolve(vm, now);
            }
        }
    }
}
