// Error records that look like the ones the real compiled cmdlets write.
//
// PowerShell builds FullyQualifiedErrorId as "<ErrorId>,<command>": for a compiled cmdlet <command> is
// the implementing type ("Microsoft.HyperV.PowerShell.Commands.GetVM"), for a function it is the
// function name ("Get-VM"). The simulator's cmdlets are functions, so the record is given an
// InvocationInfo whose command is a CmdletInfo for the real implementing type name, and PowerShell is
// told to keep it (ErrorRecord.PreserveInvocationInfoOnce, internal, set by reflection). If a future
// engine lacks those members, the record keeps the function-style FQID ("InvalidParameter,Get-VM").
using System;
using System.Management.Automation;
using System.Reflection;

namespace NestvirtSim
{
    public static class Errors
    {
        private static readonly MethodInfo SetInvocationInfo =
            typeof(ErrorRecord).GetMethod("SetInvocationInfo", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly PropertyInfo PreserveInvocationInfoOnce =
            typeof(ErrorRecord).GetProperty("PreserveInvocationInfoOnce", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly PropertyInfo ScriptPosition =
            typeof(InvocationInfo).GetProperty("ScriptPosition", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance);

        private static System.Management.Automation.Language.IScriptExtent PositionOf(InvocationInfo caller)
        {
            if (caller == null) return null;
            if (caller.DisplayScriptPosition != null) return caller.DisplayScriptPosition;
            try { return ScriptPosition == null ? null : ScriptPosition.GetValue(caller) as System.Management.Automation.Language.IScriptExtent; }
            catch (Exception) { return null; }
        }

        /// <summary>True when records can carry the compiled-cmdlet FQID suffix.</summary>
        public static bool CanImpersonate { get { return SetInvocationInfo != null && PreserveInvocationInfoOnce != null; } }

        public static Type CommandType(string typeName)
        {
            if (string.IsNullOrEmpty(typeName)) return null;
            return typeof(Errors).Assembly.GetType(typeName, false);
        }

        /// <summary>
        /// A record for command <paramref name="commandName"/>; when <paramref name="implementingType"/> is
        /// given (e.g. "Microsoft.HyperV.PowerShell.Commands.SetVMProcessor") the FQID ends with it.
        /// </summary>
        public static ErrorRecord Record(Exception exception, string errorId, ErrorCategory category, object target,
            string commandName, string implementingType, InvocationInfo caller)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            if (!CanImpersonate) return record;
            try
            {
                // A compiled cmdlet's implementing type, or else the calling function itself (so that a
                // record thrown from a helper still names the cmdlet: "InvalidOperation,Remove-NetNat").
                Type type = CommandType(implementingType);
                CommandInfo command = type != null ? new CmdletInfo(commandName, type) : (caller == null ? null : caller.MyCommand);
                if (command != null)
                {
                    InvocationInfo invocation = InvocationInfo.Create(command, PositionOf(caller));
                    SetInvocationInfo.Invoke(record, new object[] { invocation });
                    PreserveInvocationInfoOnce.SetValue(record, true);
                }
            }
            catch (Exception)
            {
                record = new ErrorRecord(exception, errorId, category, target);
            }
            return record;
        }

        private static readonly ConstructorInfo SerializedRecord = FindSerializedRecordConstructor();

        private static ConstructorInfo FindSerializedRecordConstructor()
        {
            foreach (ConstructorInfo c in typeof(ErrorRecord).GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance))
            {
                if (c.GetParameters().Length == 11 && c.GetParameters()[0].ParameterType == typeof(Exception)) return c;
            }
            return null;
        }

        /// <summary>
        /// A record for $PSCmdlet.ThrowTerminatingError (statement-terminating, as a compiled cmdlet's
        /// exception is). ThrowTerminatingError overwrites the InvocationInfo, so the FQID is fixed the way
        /// deserialized records have it (internal constructor); without it: "ErrorId,Function-Name".
        /// </summary>
        public static ErrorRecord Terminating(Exception exception, string errorId, ErrorCategory category, object target,
            string commandName, string implementingType)
        {
            string suffix = CommandType(implementingType) != null ? implementingType : commandName;
            if (SerializedRecord != null)
            {
                try
                {
                    return (ErrorRecord)SerializedRecord.Invoke(new object[]
                    {
                        exception, target, errorId + "," + suffix, category, commandName, exception.GetType().Name,
                        target == null ? "" : target.ToString(), target == null ? "" : target.GetType().Name, null, null, null,
                    });
                }
                catch (Exception)
                {
                    // fall through
                }
            }
            return new ErrorRecord(exception, errorId, category, target);
        }

        /// <summary>
        /// As Terminating, with the FullyQualifiedErrorId given whole: DISM's cmdlets write records
        /// whose FQID is only their type ("Microsoft.Dism.Commands.EnableWindowsOptionalFeatureCommand").
        /// </summary>
        public static ErrorRecord TerminatingWithId(Exception exception, string fullyQualifiedErrorId, ErrorCategory category, object target,
            string commandName)
        {
            if (SerializedRecord != null)
            {
                try
                {
                    return (ErrorRecord)SerializedRecord.Invoke(new object[]
                    {
                        exception, target, fullyQualifiedErrorId, category, commandName, exception.GetType().Name,
                        target == null ? "" : target.ToString(), target == null ? "" : target.GetType().Name, null, null, null,
                    });
                }
                catch (Exception)
                {
                    // fall through
                }
            }
            return new ErrorRecord(exception, fullyQualifiedErrorId, category, target);
        }

        /// <summary>A COMException with an HRESULT, as DISM's cmdlets throw (0x800f081f: source files not found).</summary>
        public static Exception ComException(string message, long hresult)
        {
            return new System.Runtime.InteropServices.COMException(message, unchecked((int)hresult));
        }

        /// <summary>Builds an exception of a named type (VirtualizationException, CimException...).</summary>
        public static Exception NewException(string typeName, string message)
        {
            switch (typeName)
            {
                case null:
                case "":
                case "VirtualizationException":
                case "Microsoft.HyperV.PowerShell.VirtualizationException":
                    return new Microsoft.HyperV.PowerShell.VirtualizationException(message);
                case "VirtualizationOperationFailedException":
                case "Microsoft.HyperV.PowerShell.VirtualizationOperationFailedException":
                    return new Microsoft.HyperV.PowerShell.VirtualizationOperationFailedException(message);
                case "VirtualizationInvalidArgumentException":
                case "Microsoft.HyperV.PowerShell.VirtualizationInvalidArgumentException":
                    return new Microsoft.HyperV.PowerShell.VirtualizationInvalidArgumentException(message);
                case "COMException":
                case "System.Runtime.InteropServices.COMException":
                    return new System.Runtime.InteropServices.COMException(message);
                case "ServiceCommandException":
                    return new Microsoft.PowerShell.Commands.ServiceCommandException(message);
                case "Exception":
                    return new Exception(message);
                case "CimJobException":
                case "Microsoft.PowerShell.Cmdletization.Cim.CimJobException":
                    return new Microsoft.PowerShell.Cmdletization.Cim.CimJobException(message);
                case "CimException":
                case "Microsoft.Management.Infrastructure.CimException":
                    // Through reflection so that the Add-Type fallback needs no extra reference.
                    Type cim = Type.GetType("Microsoft.Management.Infrastructure.CimException, Microsoft.Management.Infrastructure", false);
                    if (cim != null) return (Exception)Activator.CreateInstance(cim, message);
                    return new Exception(message);
                case "UnauthorizedAccessException":
                    return new UnauthorizedAccessException(message);
                case "InvalidOperationException":
                    return new InvalidOperationException(message);
                case "ArgumentException":
                    return new ArgumentException(message);
                default:
                    return new Exception(message);
            }
        }
    }
}
