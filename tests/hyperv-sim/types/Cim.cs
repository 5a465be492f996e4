// CIM-like objects for the CDXML modules (NetNat, NetTCPIP, NetAdapter, DnsClient) and for
// Get-CimInstance. Real CimInstance objects cannot be created on Linux (no libmi), so results are
// PSObjects whose base object is a SimCimInstance and whose CIM properties are note properties with
// the real CIM types (BuildNumber string, ProductType uint32...). Their type names are those of the
// real objects ("Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetNat"...),
// and the simulator's -InputObject parameters are typed SimCimInstance so that piping them binds by
// value as a CimInstance would.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace NestvirtSim
{
    public sealed class SimCimInstance
    {
        private readonly string _className;
        private readonly string _namespace;
        private readonly string[] _keys;
        internal PSObject Owner;

        public SimCimInstance(string className, string cimNamespace, string[] keyProperties)
        {
            _className = className;
            _namespace = cimNamespace;
            _keys = keyProperties ?? new string[0];
        }

        // Methods, not properties: ConvertTo-Json and Format-List show only the CIM properties.
        public string GetCimClassName() { return _className; }
        public string GetCimNamespace() { return _namespace; }
        public IReadOnlyList<string> GetKeyProperties() { return _keys; }

        /// <summary>Like CimInstance.ToString(): 'MSFT_NetNat (Name = "LocalNAT")'.</summary>
        public override string ToString()
        {
            var sb = new StringBuilder(_className);
            if (Owner != null && _keys.Length > 0)
            {
                sb.Append(" (");
                for (int i = 0; i < _keys.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    PSPropertyInfo p = Owner.Properties[_keys[i]];
                    object v = p == null ? null : p.Value;
                    sb.Append(_keys[i]).Append(" = ");
                    if (v is string) sb.Append('"').Append(v).Append('"');
                    else sb.Append(Convert.ToString(v, CultureInfo.InvariantCulture));
                }
                sb.Append(')');
            }
            return sb.ToString();
        }
    }

    public static class SimCim
    {
        /// <summary>The PSObject (with the CIM properties) of an instance bound to a SimCimInstance parameter.</summary>
        public static PSObject OwnerOf(SimCimInstance instance)
        {
            return instance == null ? null : instance.Owner;
        }

        /// <summary>Builds the PSObject for one CIM instance. properties: name → already typed value.</summary>
        public static PSObject Create(string className, string cimNamespace, string[] keyProperties, string[] baseClasses, IDictionary properties)
        {
            var inst = new SimCimInstance(className, cimNamespace, keyProperties);
            var pso = new PSObject(inst);
            inst.Owner = pso;
            foreach (DictionaryEntry e in properties)
            {
                pso.Properties.Add(new PSNoteProperty(Convert.ToString(e.Key, CultureInfo.InvariantCulture), Unwrap(e.Value)));
            }
            if (pso.Properties["PSComputerName"] == null)
            {
                pso.Properties.Add(new PSNoteProperty("PSComputerName", null));
            }
            pso.TypeNames.Clear();
            string prefix = "Microsoft.Management.Infrastructure.CimInstance#";
            pso.TypeNames.Add(prefix + cimNamespace + "/" + className);
            if (baseClasses != null) foreach (string b in baseClasses) pso.TypeNames.Add(prefix + cimNamespace + "/" + b);
            pso.TypeNames.Add(prefix + className);
            if (baseClasses != null) foreach (string b in baseClasses) pso.TypeNames.Add(prefix + b);
            pso.TypeNames.Add("Microsoft.Management.Infrastructure.CimInstance");
            pso.TypeNames.Add("System.Object");
            return pso;
        }

        private static object Unwrap(object value)
        {
            if (value is PSObject p && !(p.BaseObject is PSCustomObject) && !(p.BaseObject is SimCimInstance)) return p.BaseObject;
            if (value is object[] arr)
            {
                for (int i = 0; i < arr.Length; i++) arr[i] = Unwrap(arr[i]);
            }
            return value;
        }
    }
}
