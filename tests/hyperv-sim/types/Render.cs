// How bound parameters are written into the calls log: JSON-friendly values, objects by identity.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using Microsoft.HyperV.PowerShell;

namespace NestvirtSim
{
    public static class Render
    {
        public static OrderedDictionary Parameters(IDictionary bound)
        {
            var result = Json.NewObject();
            if (bound == null) return result;
            foreach (DictionaryEntry e in bound)
            {
                result[Convert.ToString(e.Key, CultureInfo.InvariantCulture)] = Value(e.Value, 0);
            }
            return result;
        }

        public static object Value(object value, int depth)
        {
            if (depth > 8) return "<too deep>";
            if (value is PSObject pso)
            {
                if (pso.BaseObject is SimCimInstance cim) return Cim(pso, cim);
                if (pso.BaseObject is PSCustomObject)
                {
                    var d = Json.NewObject();
                    foreach (PSPropertyInfo p in pso.Properties)
                    {
                        object v;
                        try { v = p.Value; } catch (Exception) { v = null; }
                        d[p.Name] = Value(v, depth + 1);
                    }
                    return d;
                }
                value = pso.BaseObject;
            }
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case bool b: return b;
                case SwitchParameter sp: return sp.IsPresent;
                case Enum en: return en.ToString();
                case byte or sbyte or short or ushort or int or uint or long:
                    return Convert.ToInt64(value, CultureInfo.InvariantCulture);
                case ulong ul: return ul;
                case float or double or decimal:
                    return Convert.ToDouble(value, CultureInfo.InvariantCulture);
                case Guid g: return g.ToString();
                case Version v: return v.ToString();
                case DateTime dt: return Clock.Format(dt);
                case TimeSpan ts: return ts.ToString("c", CultureInfo.InvariantCulture);
                case ScriptBlock sb: return sb.ToString();
                case PSCredential cred: return Obj("UserName", cred.UserName);
                case VirtualMachineBase vm: return Obj("Name", vm.Name, "Id", vm.Id.ToString());
                case VMNetworkAdapter na: return Obj("VMName", na.VMName, "Name", na.Name, "Id", na.Id);
                case VMInternalNetworkAdapter ia: return Obj("Name", ia.Name, "ManagementOS", true, "Id", ia.Id);
                case VMSwitch sw: return Obj("Name", sw.Name, "Id", sw.Id.ToString());
                case VMProcessor p: return Obj("VMName", p.VMName, "VMId", p.VMId.ToString());
                case VMMemory m: return Obj("VMName", m.VMName, "VMId", m.VMId.ToString());
                case Drive dr: return Obj("VMName", dr.VMName, "ControllerType", dr.ControllerType.ToString(), "ControllerNumber", (long)dr.ControllerNumber, "ControllerLocation", (long)dr.ControllerLocation, "Path", dr.Path);
                case VMFirmware fw: return Obj("VMName", fw.VMName, "VMId", fw.VMId.ToString());
                case Microsoft.Vhd.PowerShell.VirtualHardDisk vhd: return Obj("Path", vhd.Path);
                case SimCimInstance c: return Obj("CimClass", c.GetCimClassName());
                case IDictionary dict:
                    var d = Json.NewObject();
                    foreach (DictionaryEntry e in dict)
                    {
                        d[Convert.ToString(e.Key, CultureInfo.InvariantCulture)] = Value(e.Value, depth + 1);
                    }
                    return d;
                case IEnumerable seq:
                    var list = new List<object>();
                    foreach (object o in seq) list.Add(Value(o, depth + 1));
                    return list;
                default:
                    return Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }

        private static OrderedDictionary Cim(PSObject pso, SimCimInstance cim)
        {
            var d = Obj("CimClass", cim.GetCimClassName());
            foreach (string key in cim.GetKeyProperties())
            {
                PSPropertyInfo p = pso.Properties[key];
                if (p != null) d[key] = Value(p.Value, 1);
            }
            return d;
        }

        private static OrderedDictionary Obj(params object[] pairs)
        {
            var d = Json.NewObject();
            for (int i = 0; i + 1 < pairs.Length; i += 2) d[(string)pairs[i]] = pairs[i + 1];
            return d;
        }
    }
}
