# ssh:// loader: the only script on the remote command line, which Windows' OpenSSH server may
# hand to cmd.exe (8,191 characters at most). It reads the bootstrap from the first stdin line
# (base64 of UTF-8) and runs it; the bootstrap then reads the requests from the same stdin. The
# first line out tells nestvirt that login and start worked, whatever fails after.
[Console]::Out.WriteLine('#NESTVIRT-READY'); [Console]::Out.Flush()
$l = [Console]::In.ReadLine(); & ([scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($l))))
