// What boots in a VM that New-VM made (docs/simulator.md, "The first boot of a new VM"): its guest
// section starts as {"setup": "pending"}. Every Start-VM from Off looks for a disk to boot from (the
// firmware's boot order, hard drives whose chain ends in an image of the right generation and secure
// boot template); none: the VM runs with nothing booted. The first time one is found:
//
//   * an image that is not sysprepped boots as the installed system it is (image.credentials,
//     image.computer_name);
//   * a sysprepped image runs Windows Setup's specialize and oobeSystem passes with the first answer
//     file found on the boot disk's Windows partition, in Windows Setup's implicit search order
//     (Microsoft, "Windows Setup Automation Overview"):
//       Windows\Panther\Unattend\{Unattend,Autounattend}.xml, Windows\Panther\{Unattend,Autounattend}.xml,
//       (removable media: not modelled), Windows\System32\Sysprep\Unattend.xml, {Unattend,Autounattend}.xml
//     It takes the computer name (specialize, Microsoft-Windows-Shell-Setup/ComputerName; absent or "*":
//     a generated WIN-... name) and the local Administrator's password (oobeSystem,
//     Microsoft-Windows-Shell-Setup/UserAccounts/AdministratorPassword: PlainText true, or false with
//     Value = Base64(UTF-16LE(password + "AdministratorPassword")), as Lability and WindowsImageTools write
//     it). Then the guest is an ordinary simulated guest: setup "done", credentials, computer_name, os.
//   * no answer file, or one Setup cannot use (not XML, not the unattend namespace, no Administrator
//     password, an invalid computer name, a Value that is not Base64): setup "oobe" for good. The guest
//     boots and answers the heartbeat, but sits in OOBE: PowerShell Direct never answers.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;
using Microsoft.HyperV.PowerShell;

namespace NestvirtSim
{
    public static class GuestSetup
    {
        public const string UnattendNamespace = "urn:schemas-microsoft-com:unattend";

        private static readonly string[] AnswerFiles =
        {
            @"Windows\Panther\Unattend\Unattend.xml", @"Windows\Panther\Unattend\Autounattend.xml",
            @"Windows\Panther\Unattend.xml", @"Windows\Panther\Autounattend.xml",
            @"Windows\System32\Sysprep\Unattend.xml",
            "Unattend.xml", "Autounattend.xml",
        };

        /// <summary>
        /// Start-VM of a VM that is Off, before its boot is scheduled. False: nothing bootable (the guest
        /// stays not booted; guest.boot_failure says why). A guest without "setup" (a scenario's) always boots.
        /// </summary>
        public static bool BeforeBoot(IDictionary vm, OrderedDictionary root)
        {
            OrderedDictionary g = Guest.Section(vm);
            if (g == null) return true;
            string setup = Factory.Str(g, "setup");
            if (setup == null) return true;
            OrderedDictionary disk, image;
            string reason;
            if (!FindBootDisk(vm, root, out disk, out image, out reason))
            {
                g["booted"] = false;
                g["boot_failure"] = reason;
                g.Remove("boot");
                return false;
            }
            g.Remove("boot_failure");
            if (setup != "pending") return true;
            var os = Json.NewObject();
            OrderedDictionary imageOs = Factory.Dict(image, "os");
            if (imageOs != null) foreach (DictionaryEntry e in imageOs) os[e.Key] = e.Value;
            g["os"] = os;
            if (image["boot_seconds"] != null && g["boot_seconds"] == null) g["boot_seconds"] = image["boot_seconds"];
            if (g["adapters"] == null) g["adapters"] = DefaultAdapters(vm);
            if (!Factory.Bool(image, "sysprepped", true))
            {
                g["setup"] = "done";
                if (image["credentials"] is IDictionary c) g["credentials"] = Copy(c);
                if (image["computer_name"] != null) g["computer_name"] = image["computer_name"];
                return true;
            }
            OrderedDictionary partition = SimFs.OsPartition(root, disk);
            string found = null, text = null;
            if (partition != null)
            {
                SimFs.EnsureContent(root, disk);
                foreach (string candidate in AnswerFiles)
                {
                    string h = SimFs.FindOnPartition(disk, Factory.Long(partition, "number", 0), candidate);
                    if (h == null) continue;
                    found = @"C:\" + candidate;
                    text = File.ReadAllText(h);
                    break;
                }
            }
            if (found == null)
            {
                g["setup"] = "oobe";
                g["oobe_reason"] = "no answer file";
                return true;
            }
            g["answer_file"] = found;
            string computerName, password;
            if (!ParseAnswerFile(text, out computerName, out password, out reason))
            {
                g["setup"] = "oobe";
                g["oobe_reason"] = reason;
                return true;
            }
            if (string.IsNullOrEmpty(computerName) || computerName == "*") computerName = GeneratedName(Factory.Str(vm, "id", ""));
            var credentials = Json.NewObject();
            credentials["user"] = "Administrator";
            credentials["password"] = password;
            credentials["admin"] = true;
            g["credentials"] = credentials;
            g["computer_name"] = computerName.ToUpperInvariant();
            g["setup"] = "done";
            g.Remove("oobe_reason");
            return true;
        }

        /// <summary>The first hard drive of the boot order whose disk holds an OS this VM's firmware starts.</summary>
        public static bool FindBootDisk(IDictionary vm, OrderedDictionary root, out OrderedDictionary disk, out OrderedDictionary image, out string reason)
        {
            disk = null;
            image = null;
            reason = "no boot device";
            long generation = Factory.Long(vm, "generation", 2);
            var drives = new List<IDictionary>();
            if (generation == 2)
            {
                foreach (object o in Factory.BootOrder(vm))
                {
                    string kind;
                    IDictionary d = Factory.BootDevice(vm, Convert.ToString(o, CultureInfo.InvariantCulture), out kind);
                    if (kind == "hdd") drives.Add(d);
                }
            }
            else
            {
                var all = new List<IDictionary>();
                foreach (object o in Factory.List(vm, "hard_drives")) if (o is IDictionary d) all.Add(d);
                all.Sort((a, b) =>
                {
                    int ta = Factory.Enum(a["controller_type"], ControllerType.IDE) == ControllerType.IDE ? 0 : 1;
                    int tb = Factory.Enum(b["controller_type"], ControllerType.IDE) == ControllerType.IDE ? 0 : 1;
                    if (ta != tb) return ta.CompareTo(tb);
                    long ka = Factory.Long(a, "controller_number", 0) * 64 + Factory.Long(a, "controller_location", 0);
                    long kb = Factory.Long(b, "controller_number", 0) * 64 + Factory.Long(b, "controller_location", 0);
                    return ka.CompareTo(kb);
                });
                drives.AddRange(all);
            }
            OrderedDictionary fw = Factory.Dict(vm, "firmware");
            bool secureBoot = generation == 2 && Factory.Enum(fw == null ? null : fw["secure_boot"], OnOffState.On) == OnOffState.On;
            string template = Factory.Str(fw, "secure_boot_template", "MicrosoftWindows");
            foreach (IDictionary d in drives)
            {
                OrderedDictionary candidate = SimFs.FindDisk(root, Factory.Str(d, "path"));
                if (candidate == null) { reason = "the disk's file is missing"; continue; }
                OrderedDictionary img = SimFs.ImageOf(root, candidate);
                if (img == null) { reason = "no operating system on the disk"; continue; }
                if (Factory.Long(img, "generation", 2) != generation) { reason = "the disk's operating system is for generation " + Factory.Long(img, "generation", 2) + " VMs"; continue; }
                if (secureBoot)
                {
                    bool linux = "linux".Equals(Factory.Str(Factory.Dict(img, "os"), "family", "windows"), StringComparison.OrdinalIgnoreCase);
                    string wanted = linux ? "MicrosoftUEFICertificateAuthority" : "MicrosoftWindows";
                    if (!string.Equals(Factory.Str(img, "secure_boot_template", wanted), template, StringComparison.OrdinalIgnoreCase))
                    {
                        reason = "secure boot: the boot loader is not signed for the " + template + " template";
                        continue;
                    }
                }
                disk = candidate;
                image = img;
                return true;
            }
            return false;
        }

        /// <summary>
        /// The computer name (null when absent) and Administrator password of an answer file, as Windows
        /// Setup would apply them on an amd64 machine; false with the reason when Setup could not use it.
        /// </summary>
        public static bool ParseAnswerFile(string text, out string computerName, out string password, out string reason)
        {
            computerName = null;
            password = null;
            reason = null;
            var doc = new XmlDocument();
            try
            {
                var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
                using (var reader = XmlReader.Create(new StringReader(text), settings)) doc.Load(reader);
            }
            catch (XmlException e)
            {
                reason = "the answer file is not well-formed XML: " + e.Message;
                return false;
            }
            XmlElement unattend = doc.DocumentElement;
            if (unattend == null || unattend.LocalName != "unattend" || unattend.NamespaceURI != UnattendNamespace)
            {
                reason = "the root element is not <unattend xmlns=\"" + UnattendNamespace + "\">";
                return false;
            }
            bool passwordFound = false;
            foreach (XmlNode s in unattend.ChildNodes)
            {
                if (!(s is XmlElement pass) || pass.LocalName != "settings" || pass.NamespaceURI != UnattendNamespace) continue;
                string passName = pass.GetAttribute("pass");
                foreach (XmlNode c in pass.ChildNodes)
                {
                    if (!(c is XmlElement component) || component.LocalName != "component" || component.NamespaceURI != UnattendNamespace) continue;
                    if (component.GetAttribute("name") != "Microsoft-Windows-Shell-Setup") continue;
                    string arch = component.GetAttribute("processorArchitecture");
                    if (arch.Length > 0 && !arch.Equals("amd64", StringComparison.OrdinalIgnoreCase)) continue;
                    if (passName == "specialize")
                    {
                        XmlElement name = Child(component, "ComputerName");
                        if (name != null) computerName = name.InnerText.Trim();
                    }
                    else if (passName == "oobeSystem")
                    {
                        XmlElement admin = Child(Child(component, "UserAccounts"), "AdministratorPassword");
                        if (admin == null) continue;
                        XmlElement value = Child(admin, "Value");
                        XmlElement plain = Child(admin, "PlainText");
                        string v = value == null ? "" : value.InnerText;
                        bool plainText = plain == null || !plain.InnerText.Trim().Equals("false", StringComparison.OrdinalIgnoreCase);
                        if (plainText)
                        {
                            password = v;
                        }
                        else
                        {
                            try { password = Encoding.Unicode.GetString(Convert.FromBase64String(v.Trim())); }
                            catch (FormatException)
                            {
                                reason = "AdministratorPassword: PlainText is false but Value is not Base64";
                                return false;
                            }
                            const string suffix = "AdministratorPassword";
                            if (!password.EndsWith(suffix, StringComparison.Ordinal))
                            {
                                reason = "AdministratorPassword: the decoded Value does not end with \"AdministratorPassword\"";
                                return false;
                            }
                            password = password.Substring(0, password.Length - suffix.Length);
                        }
                        passwordFound = true;
                    }
                }
            }
            if (computerName != null && computerName != "*" && !ValidComputerName(computerName))
            {
                reason = "ComputerName '" + computerName + "' is not a valid computer name";
                return false;
            }
            if (!passwordFound)
            {
                reason = "no AdministratorPassword in the oobeSystem pass";
                return false;
            }
            return true;
        }

        private static XmlElement Child(XmlElement parent, string name)
        {
            if (parent == null) return null;
            foreach (XmlNode n in parent.ChildNodes)
            {
                if (n is XmlElement e && e.LocalName == name && e.NamespaceURI == UnattendNamespace) return e;
            }
            return null;
        }

        /// <summary>A NetBIOS computer name: 1-15 characters, not only digits, none of \/:*?"&lt;&gt;|,~!@#$%^&amp;'(){}_ or space.</summary>
        public static bool ValidComputerName(string name)
        {
            if (name.Length == 0 || name.Length > 15) return false;
            bool digitsOnly = true;
            foreach (char c in name)
            {
                if (!(char.IsLetterOrDigit(c) || c == '-') || c > 127) return false;
                if (!char.IsDigit(c)) digitsOnly = false;
            }
            return !digitsOnly;
        }

        /// <summary>What Windows calls a machine whose answer file gives no name: WIN- and 11 characters (here derived from the VM id).</summary>
        public static string GeneratedName(string vmId)
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            byte[] bytes = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(vmId ?? ""));
            var sb = new StringBuilder("WIN-");
            for (int i = 0; i < 11; i++) sb.Append(alphabet[bytes[i] % alphabet.Length]);
            return sb.ToString();
        }

        /// <summary>One guest adapter per VM network adapter: DHCP on, no DHCP server, so an APIPA address.</summary>
        public static List<object> DefaultAdapters(IDictionary vm)
        {
            var list = new List<object>();
            List<object> nics = Factory.List(vm, "network_adapters");
            byte[] hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Factory.Str(vm, "id", "")));
            for (int i = 0; i < nics.Count; i++)
            {
                var a = Json.NewObject();
                a["name"] = i == 0 ? "Ethernet" : "Ethernet " + (i + 1).ToString(CultureInfo.InvariantCulture);
                a["dhcp"] = true;
                var ip = Json.NewObject();
                ip["ip"] = "169.254." + (1 + hash[(2 * i) % hash.Length] % 254).ToString(CultureInfo.InvariantCulture) + "." +
                    (1 + hash[(2 * i + 1) % hash.Length] % 254).ToString(CultureInfo.InvariantCulture);
                ip["prefix_length"] = 16L;
                ip["prefix_origin"] = "WellKnown";
                ip["suffix_origin"] = "Link";
                a["addresses"] = new List<object> { ip };
                a["gateway"] = null;
                a["dns"] = new List<object>();
                list.Add(a);
            }
            return list;
        }

        private static OrderedDictionary Copy(IDictionary d)
        {
            var c = Json.NewObject();
            foreach (DictionaryEntry e in d) c[e.Key] = e.Value;
            return c;
        }
    }
}
