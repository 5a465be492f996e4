// decode_clixml on stderr captured from a real pwsh 7.6 (the test engine in build/pwsh-host) and
// on Windows PowerShell 5.1 output written by hand after samples quoted in public bug reports.
#include "nestvirt/powershell/clixml.h"

#include <string>
#include <string_view>

#include "catch.h"

using nestvirt::powershell::decode_clixml;

namespace {

// pwsh -NoProfile -NonInteractive -OutputFormat xml -Command "Write-Error 'boom: it''s <bad> &
// _x_'; Write-Warning 'careful'; Write-Progress -Activity 'Preparing modules for first use.'
// -Status x; Write-Information 'info' -InformationAction Continue" 2>captured
// With an explicit -OutputFormat xml, errors are whole serialized ErrorRecords (<Obj S="Error">).
constexpr std::string_view kPwshXmlErrorRecord =
    "#< CLIXML\n"
    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
    "<Obj S=\"Error\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.ErrorRecord</T>"
    "<T>System.Object</T></TN><ToString>boom: it's &lt;bad&gt; &amp; _x005F_x_</ToString>"
    "<MS><Obj N=\"Exception\" RefId=\"1\"><TN RefId=\"1\"><T>Microsoft.PowerShell.Commands.WriteE"
    "rrorException</T><T>System.SystemException</T><T>System.Exception</T>"
    "<T>System.Object</T></TN><ToString>Microsoft.PowerShell.Commands.WriteErrorException: boom: "
    "it's &lt;bad&gt; &amp; _x005F_x_</ToString><Props><Nil N=\"TargetSite\" />"
    "<S N=\"Message\">boom: it's &lt;bad&gt; &amp; _x005F_x_</S><Obj N=\"Data\" RefId=\"2\">"
    "<TN RefId=\"2\"><T>System.Collections.ListDictionaryInternal</T>"
    "<T>System.Object</T></TN><DCT /></Obj><Nil N=\"InnerException\" />"
    "<Nil N=\"HelpLink\" /><Nil N=\"Source\" /><I32 N=\"HResult\">"
    "-2146233087</I32><Nil N=\"StackTrace\" /></Props></Obj><Nil N=\"TargetObject\" />"
    "<S N=\"FullyQualifiedErrorId\">Microsoft.PowerShell.Commands.WriteErrorException</S>"
    "<Obj N=\"InvocationInfo\" RefId=\"3\"><TN RefId=\"3\"><T>System.Management.Automation.Invoca"
    "tionInfo</T><T>System.Object</T></TN><ToString>System.Management.Automation.InvocationInfo</"
    "ToString><Props><Obj N=\"MyCommand\" RefId=\"4\"><TN RefId=\"4\">"
    "<T>System.Management.Automation.ScriptInfo</T><T>System.Management.Automation.CommandInfo</T"
    "><T>System.Object</T></TN><ToString>Write-Error 'boom: it''s &lt;bad&gt; &amp; _x005F_x_'; W"
    "rite-Warning 'careful'; Write-Progress -Activity 'Preparing modules for first use.' -Status "
    "x; Write-Information 'info' -InformationAction Continue</ToString>"
    "<Props><SBK N=\"ScriptBlock\">Write-Error 'boom: it''s &lt;bad&gt; &amp; _x005F_x_'; Write-W"
    "arning 'careful'; Write-Progress -Activity 'Preparing modules for first use.' -Status x; Wri"
    "te-Information 'info' -InformationAction Continue</SBK><S N=\"Definition\">"
    "Write-Error 'boom: it''s &lt;bad&gt; &amp; _x005F_x_'; Write-Warning 'careful'; Write-Progre"
    "ss -Activity 'Preparing modules for first use.' -Status x; Write-Information 'info' -Informa"
    "tionAction Continue</S><Obj N=\"OutputType\" RefId=\"5\"><TN RefId=\"5\">"
    "<T>System.Collections.ObjectModel.ReadOnlyCollection`1[[System.Management.Automation.PSTypeN"
    "ame, System.Management.Automation, Version=7.6.0.500, Culture=neutral, PublicKeyToken=31bf38"
    "56ad364e35]]</T><T>System.Object</T></TN><LST /></Obj><S N=\"Name\">"
    "</S><S N=\"CommandType\">Script</S><S N=\"Source\"></S><Nil N=\"Version\" />"
    "<S N=\"Visibility\">Public</S><S N=\"ModuleName\"></S><Nil N=\"Module\" />"
    "<S N=\"RemotingCapability\">PowerShell</S><Obj N=\"ParameterSets\" RefId=\"6\">"
    "<TN RefId=\"6\"><T>System.Collections.ObjectModel.ReadOnlyCollection`1[[System.Management.Au"
    "tomation.CommandParameterSetInfo, System.Management.Automation, Version=7.6.0.500, Culture=n"
    "eutral, PublicKeyToken=31bf3856ad364e35]]</T><T>System.Object</T>"
    "</TN><LST><S></S></LST></Obj></Props><MS><S N=\"Namespace\">"
    "</S><S N=\"HelpUri\"></S></MS></Obj><Obj N=\"BoundParameters\" RefId=\"7\">"
    "<TN RefId=\"7\"><T>System.Collections.Generic.Dictionary`2[[System.String, System.Private.Co"
    "reLib, Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e],[System.Object, S"
    "ystem.Private.CoreLib, Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e]]<"
    "/T><T>System.Object</T></TN><DCT /></Obj><Obj N=\"UnboundArguments\" RefId=\"8\">"
    "<TN RefId=\"8\"><T>System.Collections.Generic.List`1[[System.Object, System.Private.CoreLib,"
    " Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e]]</T>"
    "<T>System.Object</T></TN><LST /></Obj><I32 N=\"ScriptLineNumber\">"
    "0</I32><I32 N=\"OffsetInLine\">0</I32><I64 N=\"HistoryId\">1</I64>"
    "<S N=\"ScriptName\"></S><S N=\"Line\"></S><S N=\"Statement\">"
    "</S><S N=\"PositionMessage\"></S><S N=\"PSScriptRoot\"></S><Nil N=\"PSCommandPath\" />"
    "<S N=\"InvocationName\"></S><I32 N=\"PipelineLength\">0</I32>"
    "<I32 N=\"PipelinePosition\">0</I32><B N=\"ExpectingInput\">false</B>"
    "<Obj N=\"CommandOrigin\" RefId=\"9\"><TN RefId=\"9\"><T>System.Management.Automation.Command"
    "Origin</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T>"
    "</TN><ToString>Internal</ToString><I32>1</I32></Obj><Nil N=\"DisplayScriptPosition\" />"
    "</Props></Obj><I32 N=\"ErrorCategory_Category\">0</I32><S N=\"ErrorCategory_Activity\">"
    "Write-Error</S><S N=\"ErrorCategory_Reason\">WriteErrorException</S>"
    "<S N=\"ErrorCategory_TargetName\"></S><S N=\"ErrorCategory_TargetType\">"
    "</S><S N=\"ErrorCategory_Message\">NotSpecified: (:) [Write-Error], WriteErrorException</S>"
    "<B N=\"SerializeExtendedInfo\">false</B><S N=\"ErrorDetails_ScriptStackTrace\">"
    "at &lt;ScriptBlock&gt;, &lt;No file&gt;: line 1</S><Nil N=\"PSMessageDetails\" />"
    "</MS></Obj><S S=\"warning\">careful</S><Obj S=\"progress\" RefId=\"10\">"
    "<TN RefId=\"10\"><T>System.Management.Automation.PSCustomObject</T>"
    "<T>System.Object</T></TN><MS><I64 N=\"SourceId\">0</I64><PR N=\"Record\">"
    "<AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>"
    "-1</PI><PC>-1</PC><T>Processing</T><SR>-1</SR><SD>x</SD></PR>"
    "</MS></Obj><Obj S=\"information\" RefId=\"11\"><TN RefId=\"11\">"
    "<T>System.Management.Automation.InformationRecord</T><T>System.Object</T>"
    "</TN><ToString>info</ToString><Props><S N=\"MessageData\">info</S>"
    "<S N=\"Source\">Write-Information</S><DT N=\"TimeGenerated\">"
    "2026-11-25T18:58:02.8463283+00:00</DT><Obj N=\"Tags\" RefId=\"12\">"
    "<TN RefId=\"12\"><T>System.Collections.Generic.List`1[[System.String, System.Private.CoreLib"
    ", Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e]]</T>"
    "<T>System.Object</T></TN><LST /></Obj><S N=\"User\">root</S>"
    "<S N=\"Computer\">vm</S><U32 N=\"ProcessId\">4015</U32><U32 N=\"NativeThreadId\">"
    "4034</U32><U32 N=\"ManagedThreadId\">10</U32></Props></Obj></Objs>";

// What the same command wrote to stdout: the host echoed the information record as Output.
constexpr std::string_view kPwshXmlStdout =
    "#< CLIXML\n"
    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
    "<S S=\"Output\">info</S><S S=\"Output\">_x000A_</S></Objs>";

// The same script plus Write-Verbose and a two-line Write-Error, run as
// pwsh -NoProfile -NonInteractive -EncodedCommand <b64> >out 2>err. Without -OutputFormat the
// error view is pre-rendered (ConciseView, with ANSI colours) and split into <S S="Error">
// fragments, one per line.
constexpr std::string_view kPwshEncodedFragments =
    "#< CLIXML\n"
    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
    "<S S=\"Error\">_x001B_[31;1mWrite-Error: _x001B_[31;1mboom: it's &lt;bad&gt; &amp; _x005F_x_"
    "_x001B_[0m_x000A_</S><S S=\"warning\">careful</S><Obj S=\"progress\" RefId=\"0\">"
    "<TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T>"
    "<T>System.Object</T></TN><MS><I64 N=\"SourceId\">0</I64><PR N=\"Record\">"
    "<AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>"
    "-1</PI><PC>-1</PC><T>Processing</T><SR>-1</SR><SD>x</SD></PR>"
    "</MS></Obj><Obj S=\"information\" RefId=\"1\"><TN RefId=\"1\">"
    "<T>System.Management.Automation.InformationRecord</T><T>System.Object</T>"
    "</TN><ToString>info</ToString><Props><S N=\"MessageData\">info</S>"
    "<S N=\"Source\">Write-Information</S><DT N=\"TimeGenerated\">"
    "2026-11-25T18:58:16.2466056+00:00</DT><Obj N=\"Tags\" RefId=\"2\">"
    "<TN RefId=\"2\"><T>System.Collections.Generic.List`1[[System.String, System.Private.CoreLib,"
    " Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e]]</T>"
    "<T>System.Object</T></TN><LST /></Obj><S N=\"User\">root</S>"
    "<S N=\"Computer\">vm</S><U32 N=\"ProcessId\">4330</U32><U32 N=\"NativeThreadId\">"
    "4358</U32><U32 N=\"ManagedThreadId\">10</U32></Props></Obj><S S=\"verbose\">"
    "verb</S><S S=\"Error\">_x001B_[31;1mWrite-Error: _x001B_[31;1mtwo_x001B_[0m_x000A_</S>"
    "<S S=\"Error\">_x001B_[31;1m_x001B_[31;1mlines_x001B_[0m_x000A_</S>"
    "</Objs>";

// -EncodedCommand: Write-Warning; Write-Debug -Debug; Get-Item on a missing path; throw.
constexpr std::string_view kPwshEncodedThrow =
    "#< CLIXML\n"
    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
    "<S S=\"warning\">careful</S><S S=\"debug\">dbg</S><S S=\"Error\">"
    "_x001B_[31;1mGet-Item: _x001B_[31;1mCannot find path '/nonexistent_x005F_x_y' because it doe"
    "s not exist._x001B_[0m_x000A_</S><S S=\"Error\">_x001B_[31;1mException: _x001B_[31;1mfatal &"
    "lt;x&gt;_x001B_[0m_x000A_</S></Objs>";

// -EncodedCommand: Write-Error; [Console]::Error.WriteLine('raw line'); Write-Error. The XML is
// buffered, so raw text lands between the marker and <Objs>.
constexpr std::string_view kPwshRawTextInterleaved =
    "#< CLIXML\n"
    "raw line\n"
    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
    "<S S=\"Error\">_x001B_[31;1mWrite-Error: _x001B_[31;1mfirst_x001B_[0m_x000A_</S>"
    "<S S=\"Error\">_x001B_[31;1mWrite-Error: _x001B_[31;1msecond_x001B_[0m_x000A_</S>"
    "</Objs>";

// Windows PowerShell 5.1 (powershell.exe -EncodedCommand, stderr redirected): CRLF after the
// marker, the first-module-load progress record, then the NormalView error text in CRLF-ended
// fragments, closing with a " " line.
constexpr std::string_view kWinPs51GetVm =
    "#< CLIXML\r\n"
    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
    "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\">"
    "<T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS>"
    "<I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing modules for first use.</AV>"
    "<AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS>"
    "</Obj>"
    "<S S=\"Error\">Get-VM : Hyper-V was unable to find a virtual machine with name \"x\"."
    "_x000D__x000A_</S>"
    "<S S=\"Error\">At line:1 char:1_x000D__x000A_</S>"
    "<S S=\"Error\">+ Get-VM -Name x_x000D__x000A_</S>"
    "<S S=\"Error\">+ ~~~~~~~~~~~~~~_x000D__x000A_</S>"
    "<S S=\"Error\">    + CategoryInfo          : InvalidArgument: (x:String) [Get-VM], "
    "VirtualizationException_x000D__x000A_</S>"
    "<S S=\"Error\">    + FullyQualifiedErrorId : InvalidParameter,"
    "Microsoft.HyperV.PowerShell.Commands.GetVM_x000D__x000A_</S>"
    "<S S=\"Error\"> _x000D__x000A_</S>"
    "</Objs>";

constexpr std::string_view kWinPs51GetVmText =
    "Get-VM : Hyper-V was unable to find a virtual machine with name \"x\".\n"
    "At line:1 char:1\n"
    "+ Get-VM -Name x\n"
    "+ ~~~~~~~~~~~~~~\n"
    "    + CategoryInfo          : InvalidArgument: (x:String) [Get-VM], VirtualizationException\n"
    "    + FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM";

constexpr std::string_view kProgressOnly =
    "#< CLIXML\r\n"
    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
    "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\">"
    "<T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS>"
    "<I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing modules for first use.</AV>"
    "<AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Processing</T><SR>-1</SR><SD> </SD></PR></MS>"
    "</Obj></Objs>";

std::string with_crlf_and_bom(std::string_view lf_text) {
  std::string out = "\xEF\xBB\xBF";
  for (const char c : lf_text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

}  // namespace

TEST_CASE("pwsh -OutputFormat xml: ErrorRecord object, warning, information; progress dropped",
          "[clixml]") {
  CHECK(decode_clixml(kPwshXmlErrorRecord) == "boom: it's <bad> & _x_\nWARNING: careful\ninfo");
  CHECK(decode_clixml(kPwshXmlStdout) == "info");
}

TEST_CASE("pwsh -EncodedCommand: ANSI-coloured error fragments joined into lines", "[clixml]") {
  CHECK(decode_clixml(kPwshEncodedFragments) ==
        "Write-Error: boom: it's <bad> & _x_\n"
        "WARNING: careful\n"
        "info\n"
        "VERBOSE: verb\n"
        "Write-Error: two\n"
        "lines");
  const std::string expected_throw =
      "WARNING: careful\n"
      "DEBUG: dbg\n"
      "Get-Item: Cannot find path '/nonexistent_x_y' because it does not exist.\n"
      "Exception: fatal <x>";
  CHECK(decode_clixml(kPwshEncodedThrow) == expected_throw);
  // The same bytes as Windows would deliver them.
  CHECK(decode_clixml(with_crlf_and_bom(kPwshEncodedThrow)) == expected_throw);
}

TEST_CASE("raw stderr text between the marker and the XML is kept", "[clixml]") {
  CHECK(decode_clixml(kPwshRawTextInterleaved) ==
        "raw line\nWrite-Error: first\nWrite-Error: second");
}

TEST_CASE("Windows PowerShell 5.1 NormalView fragments", "[clixml]") {
  CHECK(decode_clixml(kWinPs51GetVm) == kWinPs51GetVmText);
  CHECK(decode_clixml("\xEF\xBB\xBF" + std::string(kWinPs51GetVm) + "\r\n") == kWinPs51GetVmText);

  // 5.1 wraps at the console width mid-sentence (leaving a space before the break); fragments
  // are concatenated, not re-joined.
  CHECK(decode_clixml(
            "#< CLIXML\r\n<Objs Version=\"1.1.0.1\">"
            "<S S=\"Error\">fake : The term 'fake' is not recognized. Check _x000D__x000A_</S>"
            "<S S=\"Error\">the spelling of the name._x000D__x000A_</S>"
            "<S S=\"warning\">careful_x000D__x000A_</S>"
            "<S S=\"Error\">half</S><S S=\"Error\"> a line_x000D__x000A_</S></Objs>") ==
        "fake : The term 'fake' is not recognized. Check\n"
        "the spelling of the name.\n"
        "WARNING: careful\n"
        "half a line");
}

TEST_CASE("error objects without ToString use the exception message", "[clixml]") {
  CHECK(decode_clixml("#< CLIXML\n<Objs Version=\"1.1.0.1\"><Obj S=\"Error\" RefId=\"0\"><MS>"
                      "<Obj N=\"Exception\" RefId=\"1\"><Props><S N=\"Message\">no &quot;ToString"
                      "&quot;_x000D__x000A_here</S></Props></Obj></MS></Obj></Objs>") ==
        "no \"ToString\"\nhere");
}

TEST_CASE("plain text passes through", "[clixml]") {
  CHECK(decode_clixml("") == "");
  CHECK(decode_clixml("line one\r\nline two\r\n\r\n  \r\n") == "line one\nline two");
  CHECK(decode_clixml("\xEF\xBB\xBFGet-VM : failed & <Objs> is just text\n") ==
        "Get-VM : failed & <Objs> is just text");
  CHECK(decode_clixml("\x1B[31;1mWrite-Error: \x1B[31;1mfirst\x1B[0m\n") == "Write-Error: first");
  CHECK(decode_clixml("caf\xC3\xA9 \xE2\x82\xAC") == "caf\xC3\xA9 \xE2\x82\xAC");
}

TEST_CASE("a block with nothing but progress decodes to nothing", "[clixml]") {
  CHECK(decode_clixml(kProgressOnly) == "");
  CHECK(decode_clixml(std::string(kProgressOnly) + "\r\n" + std::string(kProgressOnly)) == "");
}

TEST_CASE("several blocks and plain text around them", "[clixml]") {
  const std::string input = "starting\r\n" + std::string(kProgressOnly) + "\r\n" +
                            std::string(kWinPs51GetVm) + "\r\n#< CLIXML\r\n#< CLIXML\r\n" +
                            "<Objs Version=\"1.1.0.1\"><S S=\"Error\">second_x000D__x000A_</S>"
                            "</Objs>plain after";
  // 5.1's closing " " line stays as the blank line that separates errors on the console.
  CHECK(decode_clixml(input) ==
        "starting\n" + std::string(kWinPs51GetVmText) + "\n\nsecond\nplain after");
}

TEST_CASE("escapes and entities", "[clixml]") {
  CHECK(decode_clixml("#< CLIXML\n<Objs><S S=\"Error\">a_x005F_x000D_b&#65;&#x263A;&lt;&gt;&amp;"
                      "&quot;&apos;&bogus;&#xZZ; &amp_x0009_c_xD83D__xDE00__xD800_d</S></Objs>") ==
        "a_x000D_bA\xE2\x98\xBA<>&\"'&bogus;&#xZZ; &amp\tc\xF0\x9F\x98\x80\xEF\xBF\xBD"
        "d");
  CHECK(
      decode_clixml("#< CLIXML\n<Objs><!-- c --><S S='Error'><![CDATA[<raw> &amp;]]></S></Objs>") ==
      "<raw> &amp;");
}

TEST_CASE("malformed or truncated XML falls back to the raw text without the marker", "[clixml]") {
  CHECK(decode_clixml("#< CLIXML\r\n<Objs Version=\"1.1.0.1\"><S S=\"Error\">boom_x000D__x000A_") ==
        "<Objs Version=\"1.1.0.1\"><S S=\"Error\">boom_x000D__x000A_");
  CHECK(decode_clixml("#< CLIXML\n<Objs><S S=\"Error\">x</T></Objs>") ==
        "<Objs><S S=\"Error\">x</T></Objs>");
  CHECK(decode_clixml("#< CLIXML\n<Objs><S S=Error>x</S></Objs>") ==
        "<Objs><S S=Error>x</S></Objs>");
  // A good block before a broken one is still decoded.
  CHECK(decode_clixml("#< CLIXML\n<Objs><S S=\"Error\">ok</S></Objs>\n#< CLIXML\n<Objs><S") ==
        "ok\n<Objs><S");
  CHECK(decode_clixml("#< CLIXML") == "");

  const std::string deep = "#< CLIXML\n<Objs>" + std::string(100000, '<') + "<a>";
  CHECK(decode_clixml(deep).starts_with("<Objs><<<"));
  std::string nested = "#< CLIXML\n<Objs>";
  for (int i = 0; i < 5000; ++i) nested += "<a>";
  CHECK(decode_clixml(nested).starts_with("<Objs><a><a>"));
}

TEST_CASE("every truncation of a real sample decodes without the marker", "[clixml]") {
  for (const std::string_view sample :
       {kPwshXmlErrorRecord, kPwshEncodedFragments, kPwshRawTextInterleaved, kWinPs51GetVm}) {
    std::size_t with_marker = 0;
    std::size_t raw_xml = 0;
    for (std::size_t n = 0; n < sample.size(); ++n) {
      const std::string decoded = decode_clixml(sample.substr(0, n));
      if (decoded.find("#< CLIXML") != std::string::npos) ++with_marker;
      if (decoded.find("<Objs") != std::string::npos) ++raw_xml;
    }
    CHECK(with_marker == 0);
    CHECK(raw_xml > 0);  // a cut block is shown raw, not dropped
    CHECK(decode_clixml(sample).find("<Objs") == std::string::npos);
  }
}

// Found by tests/fuzz/clixml_fuzz ("\r\t\n-" came back as "\r\n-"): a CR that is not itself
// part of the CRLF (CR CR LF from a text-mode writer, a CR before padding) survived next to the
// LF, so the decoded text still held a CRLF.
TEST_CASE("a stray CR at a line end does not leave a CRLF behind", "[clixml]") {
  CHECK(decode_clixml("\r\t\n-") == "\n-");
  CHECK(decode_clixml("a\r\r\nb") == "a\nb");
  CHECK(decode_clixml("a \r \r\nb\r") == "a\nb");
  CHECK(decode_clixml("a\r\x1B[0m\nb") == "a\nb");
  CHECK(decode_clixml("#< CLIXML\n<Objs Version=\"1.1.0.1\"><S S=\"Error\">a_x000D__x000D__x000A_"
                      "b_x000A_</S></Objs>") == "a\nb");
  CHECK(decode_clixml("progress\rredrawn\nok") == "progress\rredrawn\nok");  // mid-line CR kept
}
