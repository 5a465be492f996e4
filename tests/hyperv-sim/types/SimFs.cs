// The simulated host's files: volumes, folders, virtual hard disks and plain files (ISOs), kept as REAL
// files and folders in "<state file>.fs/" so that the engine's own FileSystem cmdlets (Test-Path,
// Remove-Item, New-Item, Set-Content, Get-ChildItem, module-qualified or not) work on them through
// PowerShell drives named after the Windows drive letters (lib/SimDrives.ps1). docs/simulator.md,
// "Files, disks and images".
//
//   <state>.fs/.nestvirt-sim-fs      the token of the state this folder belongs to (state key "fs_token")
//   <state>.fs/drives/<L>/...        volume L: of the host ("D:\VMs\lab.vhdx" is drives/D/VMs/lab.vhdx)
//   <state>.fs/drives/<L>.mount      a mounted VHD's partition that has drive letter L: (text: its folder)
//   <state>.fs/disks/<id>/p<N>/...   the files of partition N of virtual disk <id> (what a mounted
//                                    partition, and the guest booting from it, sees)
//
// The state's records are the truth about what exists; the folder follows them. A record the simulator
// has created a file for ("materialized": true) whose file is gone was deleted (Remove-Item): the record
// is dropped at the next read (Sync). A fresh state (no "fs_token", e.g. with-sim copied the scenario
// again) gets a fresh folder: a stale one (with our token file) is deleted first.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace NestvirtSim
{
    public static class SimFs
    {
        public const string TokenFile = ".nestvirt-sim-fs";
        public const string HeaderTag = "nestvirt_sim";
        private static string _preparedRoot;
        private static string _preparedToken;

        public const string DefaultVmPath = @"C:\ProgramData\Microsoft\Windows\Hyper-V";
        public const string DefaultVhdPath = @"C:\ProgramData\Microsoft\Windows\Virtual Hard Disks";

        // ---- where things are ---------------------------------------------------------------------

        public static string RootFor(string statePath) { return Path.GetFullPath(statePath) + ".fs"; }

        private static string _rootEnv;
        private static string _rootCached;

        public static string Root()
        {
            string env = Environment.GetEnvironmentVariable("NESTVIRT_SIM_STATE");
            if (_rootCached != null && env == _rootEnv) return _rootCached;
            _rootCached = RootFor(Store.PathFromEnvironment());
            _rootEnv = env;
            return _rootCached;
        }

        public static string DrivesDir() { return Path.Combine(Root(), "drives"); }

        public static string DisksDir() { return Path.Combine(Root(), "disks"); }

        /// <summary>The state asks for files (volumes, disks, files, folders) or already has its folder.</summary>
        public static bool UsesFs(IDictionary root)
        {
            if (root["fs_token"] != null) return true;
            OrderedDictionary host = Factory.Dict(root, "host");
            return (host != null && host["volumes"] != null) || root["disks"] != null || root["files"] != null || root["folders"] != null;
        }

        // ---- Windows paths ------------------------------------------------------------------------

        private static readonly Regex DrivePath = new Regex(@"^([A-Za-z]):(.*)$", RegexOptions.CultureInvariant);
        private static readonly char[] Invalid = { '<', '>', ':', '"', '|', '?', '*' };

        /// <summary>
        /// "d:/VMs//x.vhdx", "D:\VMs\.\x.vhdx", "\\?\D:\VMs\x.vhdx" and the Linux path of the same file under
        /// drives/ all become "D:\VMs\x.vhdx". Null for what the simulator cannot name (UNC, relative,
        /// invalid characters).
        /// </summary>
        public static string Normalize(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) return null;
            string p = path.Trim();
            string drives = null;
            if (p.StartsWith("/", StringComparison.Ordinal))
            {
                try { drives = DrivesDir(); } catch (Exception) { drives = null; }
            }
            if (drives != null && p.StartsWith(drives + "/", StringComparison.Ordinal))
            {
                string rest = p.Substring(drives.Length + 1);
                int slash = rest.IndexOf('/');
                string letter = slash < 0 ? rest : rest.Substring(0, slash);
                if (letter.EndsWith(".mount", StringComparison.Ordinal)) letter = letter.Substring(0, letter.Length - 6);
                if (letter.Length != 1) return null;
                p = letter + ":" + (slash < 0 ? @"\" : rest.Substring(slash));
            }
            p = p.Replace('/', '\\');
            if (p.StartsWith(@"\\?\", StringComparison.Ordinal)) p = p.Substring(4);
            Match m = DrivePath.Match(p);
            if (!m.Success) return null;
            var parts = new List<string>();
            foreach (string raw in m.Groups[2].Value.Split('\\'))
            {
                if (raw.Length == 0 || raw == ".") continue;
                if (raw == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
                // Windows drops trailing dots and spaces of a name.
                string name = raw.TrimEnd('.', ' ');
                if (name.Length == 0 || name.IndexOfAny(Invalid) >= 0) return null;
                foreach (char c in name) if (c < 32) return null;
                parts.Add(name);
            }
            return char.ToUpperInvariant(m.Groups[1].Value[0]) + @":\" + string.Join(@"\", parts);
        }

        public static bool SamePath(string a, string b)
        {
            string na = Normalize(a), nb = Normalize(b);
            return na != null && nb != null && string.Equals(na, nb, StringComparison.OrdinalIgnoreCase);
        }

        public static string Letter(string windowsPath)
        {
            string n = Normalize(windowsPath);
            return n == null ? null : n.Substring(0, 1);
        }

        /// <summary>The folder behind drive letter L (a volume's folder, or a mounted partition's), or null.</summary>
        public static string DriveFolder(string letter)
        {
            if (string.IsNullOrEmpty(letter)) return null;
            string dir = Path.Combine(DrivesDir(), letter.ToUpperInvariant());
            if (Directory.Exists(dir)) return dir;
            string mount = dir + ".mount";
            if (File.Exists(mount)) return Path.Combine(Root(), File.ReadAllText(mount).Trim());
            return null;
        }

        /// <summary>
        /// The Linux path of a Windows path, or null when its drive does not exist. Existing folders and
        /// files are matched case-insensitively (as Windows does), the rest is kept as written.
        /// </summary>
        public static string HostPath(string windowsPath)
        {
            string n = Normalize(windowsPath);
            if (n == null) return null;
            string current = DriveFolder(n.Substring(0, 1));
            if (current == null) return null;
            if (n.Length <= 3) return current;
            foreach (string part in n.Substring(3).Split('\\'))
            {
                string next = Path.Combine(current, part);
                if (!File.Exists(next) && !Directory.Exists(next) && Directory.Exists(current))
                {
                    foreach (string entry in Directory.EnumerateFileSystemEntries(current))
                    {
                        if (string.Equals(Path.GetFileName(entry), part, StringComparison.OrdinalIgnoreCase)) { next = entry; break; }
                    }
                }
                current = next;
            }
            return current;
        }

        public static bool FolderExists(string windowsPath)
        {
            string h = HostPath(windowsPath);
            return h != null && Directory.Exists(h);
        }

        public static bool FileExists(string windowsPath)
        {
            string h = HostPath(windowsPath);
            return h != null && File.Exists(h);
        }

        public static string ParentOf(string windowsPath)
        {
            string n = Normalize(windowsPath);
            if (n == null || n.Length <= 3) return null;
            int i = n.LastIndexOf('\\');
            return i <= 2 ? n.Substring(0, 3) : n.Substring(0, i);
        }

        /// <summary>Creates a folder (and its parents) on an existing drive; false when the drive does not exist.</summary>
        public static bool CreateFolder(string windowsPath)
        {
            string h = HostPath(windowsPath);
            if (h == null) return false;
            Directory.CreateDirectory(h);
            return true;
        }

        // ---- preparing the folder -------------------------------------------------------------------

        /// <summary>
        /// Brings the folder in line with the state (Store.Begin calls it after each read). Returns true when
        /// it changed the state (a new "fs_token"), which the caller must then write. force: create the
        /// folder even for a state that names no files (the first New-VM/New-VHD on an older scenario).
        /// </summary>
        public static bool Prepare(OrderedDictionary root, bool force)
        {
            if (!force && !UsesFs(root)) return false;
            string fsRoot = Root();
            string token = root["fs_token"] as string;
            if (token != null && _preparedRoot == fsRoot && _preparedToken == token && Directory.Exists(fsRoot))
            {
                Materialize(root, false);
                Sync(root);
                return false;
            }
            string tokenPath = Path.Combine(fsRoot, TokenFile);
            string onDisk = File.Exists(tokenPath) ? File.ReadAllText(tokenPath).Trim() : null;
            bool changed = false;
            if (token == null || onDisk != token)
            {
                if (Directory.Exists(fsRoot))
                {
                    if (onDisk == null && Directory.GetFileSystemEntries(fsRoot).Length > 0)
                    {
                        throw new IOException("The Hyper-V simulator's folder for the state, " + fsRoot + ", exists but is not the simulator's (no " + TokenFile + "): it is left alone; remove it.");
                    }
                    Directory.Delete(fsRoot, true);
                }
                if (token == null)
                {
                    token = Guid.NewGuid().ToString();
                    root["fs_token"] = token;
                    changed = true;
                }
                Directory.CreateDirectory(fsRoot);
                File.WriteAllText(tokenPath, token);
                Materialize(root, true);
            }
            else
            {
                Materialize(root, false);
                Sync(root);
            }
            _preparedRoot = fsRoot;
            _preparedToken = token;
            return changed;
        }

        /// <summary>host.volumes' letters (C when none is named).</summary>
        public static List<OrderedDictionary> Volumes(IDictionary root)
        {
            var result = new List<OrderedDictionary>();
            foreach (object o in Factory.List(Factory.Dict(root, "host"), "volumes"))
            {
                if (o is OrderedDictionary v && Factory.Str(v, "letter") != null) result.Add(v);
            }
            if (result.Count == 0)
            {
                var c = Json.NewObject();
                c["letter"] = "C";
                result.Add(c);
            }
            return result;
        }

        private static void Materialize(OrderedDictionary root, bool fresh)
        {
            string drives = DrivesDir();
            Directory.CreateDirectory(drives);
            Directory.CreateDirectory(DisksDir());
            foreach (OrderedDictionary v in Volumes(root))
            {
                Directory.CreateDirectory(Path.Combine(drives, Factory.Str(v, "letter").Substring(0, 1).ToUpperInvariant()));
            }
            if (fresh)
            {
                OrderedDictionary host = Factory.Dict(root, "host");
                CreateFolder(Factory.Str(host, "virtual_machine_path", DefaultVmPath));
                CreateFolder(Factory.Str(host, "virtual_hard_disk_path", DefaultVhdPath));
                foreach (object f in Factory.List(root, "folders")) CreateFolder(Convert.ToString(f, CultureInfo.InvariantCulture));
            }
            foreach (object o in Factory.List(root, "files"))
            {
                if (!(o is OrderedDictionary f) || (!fresh && Factory.Bool(f, "materialized"))) continue;
                string h = HostPath(Factory.Str(f, "path"));
                if (h == null) continue;   // on a drive the host does not have: the record stays, the file does not exist
                Directory.CreateDirectory(Path.GetDirectoryName(h));
                if (!File.Exists(h)) File.WriteAllText(h, Factory.Str(f, "content", "nestvirt simulator file\n"));
                f["materialized"] = true;
            }
            foreach (object o in Factory.List(root, "disks"))
            {
                if (!(o is OrderedDictionary d) || (!fresh && Factory.Bool(d, "materialized"))) continue;
                if (Factory.Str(d, "id") == null) d["id"] = Guid.NewGuid().ToString().ToUpperInvariant();
                string h = HostPath(Factory.Str(d, "path"));
                if (h == null) continue;
                Directory.CreateDirectory(Path.GetDirectoryName(h));
                WriteHeader(d, h);
                d["materialized"] = true;
                if (d["mounted"] is OrderedDictionary m && m["letters"] is OrderedDictionary letters)
                {
                    foreach (DictionaryEntry e in letters) WriteMount(root, d, Convert.ToInt32(e.Key, CultureInfo.InvariantCulture), Convert.ToString(e.Value, CultureInfo.InvariantCulture));
                }
            }
        }

        /// <summary>Drops the records whose files were deleted; refreshes attached_to.</summary>
        private static void Sync(OrderedDictionary root)
        {
            foreach (string key in new[] { "files", "disks" })
            {
                if (!(root[key] is List<object> list)) continue;
                for (int i = list.Count - 1; i >= 0; i--)
                {
                    if (!(list[i] is OrderedDictionary r) || !Factory.Bool(r, "materialized")) continue;
                    string h = HostPath(Factory.Str(r, "path"));
                    if (h != null && File.Exists(h)) continue;
                    list.RemoveAt(i);
                    if (key != "disks") continue;
                    RemoveMounts(r);
                    string content = Path.Combine(DisksDir(), Factory.Str(r, "id", "-"));
                    if (Directory.Exists(content)) Directory.Delete(content, true);
                }
            }
            RefreshAttachments(root);
        }

        /// <summary>disks[].attached_to: the ids of the VMs whose hard drives name the disk (null when none).</summary>
        public static void RefreshAttachments(IDictionary root)
        {
            foreach (object o in Factory.List(root, "disks"))
            {
                if (!(o is OrderedDictionary d)) continue;
                var ids = new List<object>();
                foreach (object v in Factory.List(root, "vms"))
                {
                    if (!(v is IDictionary vm)) continue;
                    foreach (object hd in Factory.List(vm, "hard_drives"))
                    {
                        if (hd is IDictionary h && SamePath(Factory.Str(h, "path"), Factory.Str(d, "path")))
                        {
                            string id = Factory.Str(vm, "id");
                            if (!ids.Contains(id)) ids.Add(id);
                        }
                    }
                }
                if (ids.Count > 0) d["attached_to"] = ids;
                else if (d.Contains("attached_to")) d.Remove("attached_to");
            }
        }

        // ---- virtual hard disks -------------------------------------------------------------------

        /// <summary>The format the file name extension gives: VHD, VHDX, or null.</summary>
        public static string FormatOf(string path)
        {
            string ext = Path.GetExtension(Normalize(path) ?? path ?? "").ToLowerInvariant();
            if (ext == ".vhd") return "VHD";
            if (ext == ".vhdx") return "VHDX";
            return null;
        }

        public static List<object> DiskList(OrderedDictionary root)
        {
            if (!(root["disks"] is List<object> list))
            {
                list = Factory.List(root, "disks");
                root["disks"] = list;
            }
            return list;
        }

        /// <summary>
        /// The disk record of a path. A file that is a copy of a simulated VHD (Copy-Item) but has no record
        /// becomes one (a copy of a disk is a disk; its files are copied too). Null when there is no such disk.
        /// </summary>
        public static OrderedDictionary FindDisk(OrderedDictionary root, string windowsPath)
        {
            string n = Normalize(windowsPath);
            if (n == null) return null;
            foreach (object o in Factory.List(root, "disks"))
            {
                if (o is OrderedDictionary d && SamePath(Factory.Str(d, "path"), n)) return d;
            }
            string h = HostPath(n);
            if (h == null || !File.Exists(h)) return null;
            OrderedDictionary header = ReadHeader(h);
            if (header == null) return null;
            var copy = Json.NewObject();
            foreach (string key in new[] { "format", "type", "size", "file_size", "parent", "block_size", "logical_sector_size", "physical_sector_size", "image", "partition_style", "partitions" })
            {
                if (header[key] != null) copy[key] = header[key];
            }
            copy["path"] = n;
            copy["id"] = Guid.NewGuid().ToString().ToUpperInvariant();
            copy["materialized"] = true;
            string source = Path.Combine(DisksDir(), Factory.Str(header, "id", "-"));
            if (Directory.Exists(source)) CopyTree(source, Path.Combine(DisksDir(), (string)copy["id"]));
            WriteHeader(copy, h);
            DiskList(root).Add(copy);
            return copy;
        }

        public static OrderedDictionary FindDiskById(IDictionary root, string id)
        {
            foreach (object o in Factory.List(root, "disks"))
            {
                if (o is OrderedDictionary d && string.Equals(Factory.Str(d, "id"), id, StringComparison.OrdinalIgnoreCase)) return d;
            }
            return null;
        }

        /// <summary>Creates a disk record and its file (the folder must exist). A differencing disk gets a copy of its parent's files.</summary>
        public static OrderedDictionary CreateDisk(OrderedDictionary root, string windowsPath, string type, long size, OrderedDictionary parent,
            long blockSize, long logicalSector, long physicalSector)
        {
            string n = Normalize(windowsPath);
            var d = Json.NewObject();
            d["path"] = n;
            d["id"] = Guid.NewGuid().ToString().ToUpperInvariant();
            d["format"] = FormatOf(n);
            d["type"] = type;
            d["size"] = size;
            if (parent != null) d["parent"] = Factory.Str(parent, "path");
            d["block_size"] = blockSize > 0 ? blockSize : ("VHD".Equals(d["format"]) ? 2097152L : type == "Fixed" ? 0L : 33554432L);
            d["logical_sector_size"] = logicalSector > 0 ? logicalSector : 512L;
            d["physical_sector_size"] = physicalSector > 0 ? physicalSector : ("VHD".Equals(d["format"]) ? 512L : 4096L);
            if (type == "Fixed") d["file_size"] = size + ("VHD".Equals(d["format"]) ? 512L : 4194304L);
            string h = HostPath(n);
            WriteHeader(d, h);
            d["materialized"] = true;
            if (parent != null)
            {
                EnsureContent(root, parent);
                string source = Path.Combine(DisksDir(), Factory.Str(parent, "id"));
                if (Directory.Exists(source)) CopyTree(source, Path.Combine(DisksDir(), (string)d["id"]));
            }
            DiskList(root).Add(d);
            return d;
        }

        private static void WriteHeader(OrderedDictionary d, string hostPath)
        {
            var header = Json.NewObject();
            header[HeaderTag] = "vhd";
            foreach (string key in new[] { "id", "format", "type", "size", "file_size", "parent", "block_size", "logical_sector_size", "physical_sector_size", "image", "partition_style", "partitions" })
            {
                if (d[key] != null) header[key] = d[key];
            }
            File.WriteAllText(hostPath, Json.Serialize(header, false) + "\n");
        }

        private static OrderedDictionary ReadHeader(string hostPath)
        {
            try
            {
                var info = new FileInfo(hostPath);
                if (info.Length > 1048576) return null;
                var d = Json.Parse(File.ReadAllText(hostPath)) as OrderedDictionary;
                return d != null && "vhd".Equals(d[HeaderTag] as string) ? d : null;
            }
            catch (Exception)
            {
                return null;
            }
        }

        private static void CopyTree(string source, string target)
        {
            Directory.CreateDirectory(target);
            foreach (string dir in Directory.GetDirectories(source)) CopyTree(dir, Path.Combine(target, Path.GetFileName(dir)));
            foreach (string file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)), true);
        }

        /// <summary>The disk, its parent, the parent's parent... (stops at a missing parent or a cycle).</summary>
        public static List<OrderedDictionary> Chain(OrderedDictionary root, OrderedDictionary disk)
        {
            var chain = new List<OrderedDictionary>();
            OrderedDictionary current = disk;
            while (current != null && !chain.Contains(current) && chain.Count < 64)
            {
                chain.Add(current);
                string parent = Factory.Str(current, "parent");
                current = parent == null ? null : FindDisk(root, parent);
            }
            return chain;
        }

        /// <summary>The image record (os, sysprepped...) at the root of a disk's chain, or null.</summary>
        public static OrderedDictionary ImageOf(OrderedDictionary root, OrderedDictionary disk)
        {
            List<OrderedDictionary> chain = Chain(root, disk);
            OrderedDictionary last = chain[chain.Count - 1];
            if (Factory.Str(last, "parent") != null) return null;   // the chain is broken: no OS boots from it
            return Factory.Dict(last, "image");
        }

        public static long Size(OrderedDictionary root, OrderedDictionary disk)
        {
            long s = Factory.Long(disk, "size", 0);
            if (s > 0) return s;
            List<OrderedDictionary> chain = Chain(root, disk);
            foreach (OrderedDictionary d in chain) { s = Factory.Long(d, "size", 0); if (s > 0) return s; }
            return 136365211648L;   // 127 GB, Hyper-V's default
        }

        // ---- partitions and their files -----------------------------------------------------------

        private const string EfiType = "{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}";
        private const string MsrType = "{e3c9e316-0b5c-4db8-817d-f92df00215ae}";
        private const string BasicType = "{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}";
        private const string RecoveryType = "{de94bba4-06d1-4d40-a16a-bfd50179d6ac}";

        /// <summary>"GPT", "MBR" or "RAW" (a new disk is not initialized).</summary>
        public static string PartitionStyle(OrderedDictionary root, OrderedDictionary disk)
        {
            foreach (OrderedDictionary d in Chain(root, disk))
            {
                string s = Factory.Str(d, "partition_style");
                if (s != null) return s.ToUpperInvariant();
                OrderedDictionary image = Factory.Dict(d, "image");
                if (image != null) return Factory.Long(image, "generation", 2) == 1 ? "MBR" : "GPT";
            }
            return "RAW";
        }

        /// <summary>
        /// The partitions of a disk: its own "partitions", else its parent's, else an image's Windows layout
        /// (GPT: EFI system 100 MB, MSR 16 MB, the Windows partition, recovery 600 MB; MBR: System Reserved
        /// 500 MB, Windows), else none. Each: number, type, offset, size, gpt_type, mbr_type, os.
        /// </summary>
        public static List<OrderedDictionary> Partitions(OrderedDictionary root, OrderedDictionary disk)
        {
            var result = new List<OrderedDictionary>();
            foreach (OrderedDictionary d in Chain(root, disk))
            {
                if (d["partitions"] != null)
                {
                    foreach (object o in Factory.List(d, "partitions")) if (o is OrderedDictionary p) result.Add(p);
                    return result;
                }
                if (Factory.Dict(d, "image") == null) continue;
                long size = Size(root, d);
                const long mb = 1048576L;
                if (PartitionStyle(root, d) == "MBR")
                {
                    result.Add(NewPartition(1, "IFS", mb, 500 * mb, null, 7, false, true));
                    result.Add(NewPartition(2, "IFS", 501 * mb, size - 501 * mb - mb, null, 7, true, false));
                }
                else
                {
                    result.Add(NewPartition(1, "System", mb, 100 * mb, EfiType, 0, false, false));
                    result.Add(NewPartition(2, "Reserved", 101 * mb, 16 * mb, MsrType, 0, false, false));
                    long os = size - 117 * mb - 600 * mb - mb;
                    result.Add(NewPartition(3, "Basic", 117 * mb, os, BasicType, 0, true, false));
                    result.Add(NewPartition(4, "Recovery", 117 * mb + os, 600 * mb, RecoveryType, 0, false, false));
                }
                return result;
            }
            return result;
        }

        private static OrderedDictionary NewPartition(long number, string type, long offset, long size, string gpt, long mbr, bool os, bool active)
        {
            var p = Json.NewObject();
            p["number"] = number;
            p["type"] = type;
            p["offset"] = offset;
            p["size"] = size;
            if (gpt != null) p["gpt_type"] = gpt;
            if (mbr != 0) p["mbr_type"] = mbr;
            p["os"] = os;
            if (active) p["active"] = true;
            return p;
        }

        public static OrderedDictionary OsPartition(OrderedDictionary root, OrderedDictionary disk)
        {
            foreach (OrderedDictionary p in Partitions(root, disk)) if (Factory.Bool(p, "os")) return p;
            return null;
        }

        public static string PartitionFolder(OrderedDictionary disk, long number)
        {
            return Path.Combine(DisksDir(), Factory.Str(disk, "id"), "p" + number.ToString(CultureInfo.InvariantCulture));
        }

        private static readonly string[] WindowsFolders =
        {
            "Windows", @"Windows\System32", @"Windows\System32\config", @"Windows\System32\Sysprep", @"Windows\Panther",
            @"Windows\Setup", "Program Files", "Program Files (x86)", "ProgramData", "Users", @"Users\Public",
        };

        /// <summary>
        /// Makes the disk's partition folders exist: a differencing disk copies its parent's (at creation,
        /// or now for one the scenario names); an image's Windows partition gets the Windows folders and the
        /// record's "content" (relative path → text); the other partitions are empty.
        /// </summary>
        public static void EnsureContent(OrderedDictionary root, OrderedDictionary disk)
        {
            string dir = Path.Combine(DisksDir(), Factory.Str(disk, "id"));
            if (Directory.Exists(dir)) return;
            string parentPath = Factory.Str(disk, "parent");
            OrderedDictionary parent = parentPath == null ? null : FindDisk(root, parentPath);
            if (parent != null)
            {
                EnsureContent(root, parent);
                string source = Path.Combine(DisksDir(), Factory.Str(parent, "id"));
                if (Directory.Exists(source)) { CopyTree(source, dir); return; }
            }
            Directory.CreateDirectory(dir);
            foreach (OrderedDictionary p in Partitions(root, disk))
            {
                string pdir = PartitionFolder(disk, Factory.Long(p, "number", 0));
                Directory.CreateDirectory(pdir);
                if (!Factory.Bool(p, "os")) continue;
                OrderedDictionary image = ImageOf(root, disk);
                bool windows = !"linux".Equals(Factory.Str(Factory.Dict(image, "os"), "family", "windows"), StringComparison.OrdinalIgnoreCase);
                if (image != null && windows) foreach (string f in WindowsFolders) Directory.CreateDirectory(Path.Combine(pdir, f.Replace('\\', '/')));
                OrderedDictionary content = Factory.Dict(disk, "content");
                if (content == null) continue;
                foreach (DictionaryEntry e in content)
                {
                    string target = Path.Combine(pdir, Convert.ToString(e.Key, CultureInfo.InvariantCulture).Replace('\\', '/').TrimStart('/'));
                    Directory.CreateDirectory(Path.GetDirectoryName(target));
                    File.WriteAllText(target, Convert.ToString(e.Value, CultureInfo.InvariantCulture));
                }
            }
        }

        /// <summary>A file on a disk's partition, found case-insensitively (as Windows would): its Linux path or null.</summary>
        public static string FindOnPartition(OrderedDictionary disk, long partition, string relativePath)
        {
            string current = PartitionFolder(disk, partition);
            foreach (string part in relativePath.Split('\\', '/'))
            {
                if (part.Length == 0) continue;
                if (!Directory.Exists(current)) return null;
                string found = null;
                foreach (string entry in Directory.EnumerateFileSystemEntries(current))
                {
                    if (string.Equals(Path.GetFileName(entry), part, StringComparison.OrdinalIgnoreCase)) { found = entry; break; }
                }
                if (found == null) return null;
                current = found;
            }
            return File.Exists(current) ? current : null;
        }

        // ---- mounting on the host -----------------------------------------------------------------

        /// <summary>Host disk numbers: one disk per volume (0, 1...); mounted VHDs take the next free numbers.</summary>
        public static long NextDiskNumber(IDictionary root)
        {
            long next = Volumes(root).Count;
            var used = new HashSet<long>();
            foreach (object o in Factory.List(root, "disks"))
            {
                if (o is IDictionary d && d["mounted"] is IDictionary m) used.Add(Factory.Long(m, "number", -1));
            }
            while (used.Contains(next)) next++;
            return next;
        }

        /// <summary>Drive letters in use: the volumes' and the mounted partitions'.</summary>
        public static HashSet<string> LettersInUse(IDictionary root)
        {
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (OrderedDictionary v in Volumes(root)) used.Add(Factory.Str(v, "letter").Substring(0, 1));
            foreach (object o in Factory.List(root, "disks"))
            {
                if (o is IDictionary d && d["mounted"] is IDictionary m && m["letters"] is IDictionary letters)
                {
                    foreach (DictionaryEntry e in letters) used.Add(Convert.ToString(e.Value, CultureInfo.InvariantCulture));
                }
            }
            return used;
        }

        /// <summary>The lowest free letter from C: (what Windows' mount manager gives a new volume), or null.</summary>
        public static string NextFreeLetter(IDictionary root)
        {
            HashSet<string> used = LettersInUse(root);
            for (char c = 'C'; c <= 'Z'; c++) if (!used.Contains(c.ToString())) return c.ToString();
            return null;
        }

        /// <summary>Gives partition N of a mounted disk the letter L: (mounted.letters and drives/L.mount).</summary>
        public static void AssignLetter(OrderedDictionary root, OrderedDictionary disk, long partition, string letter)
        {
            var m = disk["mounted"] as OrderedDictionary;
            if (m == null) return;
            var letters = m["letters"] as OrderedDictionary;
            if (letters == null) { letters = Json.NewObject(); m["letters"] = letters; }
            string key = partition.ToString(CultureInfo.InvariantCulture);
            if (letters[key] != null) RemoveMountFile(Convert.ToString(letters[key], CultureInfo.InvariantCulture));
            letters[key] = letter.ToUpperInvariant();
            WriteMount(root, disk, partition, letter);
        }

        private static void WriteMount(OrderedDictionary root, OrderedDictionary disk, long partition, string letter)
        {
            EnsureContent(root, disk);
            string folder = PartitionFolder(disk, partition);
            Directory.CreateDirectory(folder);
            string relative = Path.GetRelativePath(Root(), folder);
            File.WriteAllText(Path.Combine(DrivesDir(), letter.ToUpperInvariant() + ".mount"), relative + "\n");
        }

        private static void RemoveMountFile(string letter)
        {
            string f = Path.Combine(DrivesDir(), letter.ToUpperInvariant() + ".mount");
            if (File.Exists(f)) File.Delete(f);
        }

        /// <summary>Dismount: the letters go (drives/L.mount), the files stay in the disk's folder.</summary>
        public static void RemoveMounts(OrderedDictionary disk)
        {
            if (disk["mounted"] is OrderedDictionary m && m["letters"] is OrderedDictionary letters)
            {
                foreach (DictionaryEntry e in letters) RemoveMountFile(Convert.ToString(e.Value, CultureInfo.InvariantCulture));
            }
            disk.Remove("mounted");
        }

        /// <summary>
        /// The disk is open: mounted on the host, attached to a VM that runs (or is starting, stopping,
        /// paused), or the parent of such a disk (a chain is opened whole).
        /// </summary>
        public static bool InUse(OrderedDictionary root, OrderedDictionary disk)
        {
            foreach (object o in Factory.List(root, "disks"))
            {
                if (!(o is OrderedDictionary d) || !Chain(root, d).Contains(disk)) continue;
                if (d["mounted"] != null) return true;
                foreach (object v in Factory.List(root, "vms"))
                {
                    if (!(v is IDictionary vm)) continue;
                    var state = Factory.StateOf(vm);
                    if (state == Microsoft.HyperV.PowerShell.VMState.Off || state == Microsoft.HyperV.PowerShell.VMState.Saved) continue;
                    foreach (object hd in Factory.List(vm, "hard_drives"))
                    {
                        if (hd is IDictionary h && SamePath(Factory.Str(h, "path"), Factory.Str(d, "path"))) return true;
                    }
                }
            }
            return false;
        }

        /// <summary>The mounted disk with that number, or null.</summary>
        public static OrderedDictionary MountedByNumber(IDictionary root, long number)
        {
            foreach (object o in Factory.List(root, "disks"))
            {
                if (o is OrderedDictionary d && d["mounted"] is IDictionary m && Factory.Long(m, "number", -1) == number) return d;
            }
            return null;
        }

        // ---- plain files ----------------------------------------------------------------------------

        /// <summary>Writes a file the simulator creates on the host (a VM's configuration file), tracked in files[].</summary>
        public static void CreateFile(OrderedDictionary root, string windowsPath, string content)
        {
            string h = HostPath(windowsPath);
            if (h == null) return;
            Directory.CreateDirectory(Path.GetDirectoryName(h));
            File.WriteAllText(h, content);
            if (!(root["files"] is List<object> list)) { list = Factory.List(root, "files"); root["files"] = list; }
            var f = Json.NewObject();
            f["path"] = Normalize(windowsPath);
            f["materialized"] = true;
            list.Add(f);
        }

        public static void DeleteFile(OrderedDictionary root, string windowsPath)
        {
            string h = HostPath(windowsPath);
            if (h != null && File.Exists(h)) File.Delete(h);
            if (root["files"] is List<object> list)
            {
                for (int i = list.Count - 1; i >= 0; i--)
                {
                    if (list[i] is IDictionary f && SamePath(Factory.Str(f, "path"), windowsPath)) list.RemoveAt(i);
                }
            }
        }
    }
}
