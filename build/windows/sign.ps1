<#
.SYNOPSIS
  Sign Windows executables with the release certificate, when one is configured.

.DESCRIPTION
  Reads the certificate from the environment (set from CI secrets):
    WINDOWS_CERT_PFX_BASE64   the .pfx file, base64-encoded
    WINDOWS_CERT_PASSWORD     its password
    WINDOWS_TIMESTAMP_URL     optional RFC 3161 time-stamp server
                              (default http://timestamp.digicert.com)
  Without WINDOWS_CERT_PFX_BASE64 it prints a notice and exits 0, so unsigned test
  builds still work. Inno Setup calls it for the installer and the uninstaller
  (iscc "/Ssinoru=powershell.exe -NoProfile -ExecutionPolicy Bypass -File sign.ps1 $f").

.EXAMPLE
  powershell -File build\windows\sign.ps1 dist\pyi-dist\sinoru-desktop\sinoru-desktop.exe
#>
param(
    [Parameter(Mandatory = $true, ValueFromRemainingArguments = $true)]
    [string[]] $Files
)
$ErrorActionPreference = 'Stop'

if (-not $env:WINDOWS_CERT_PFX_BASE64) {
    Write-Host "sign.ps1: no WINDOWS_CERT_PFX_BASE64 set; leaving unsigned: $($Files -join ', ')"
    exit 0
}

function Find-SignTool {
    $onPath = Get-Command signtool.exe -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    $kits = Join-Path ${env:ProgramFiles(x86)} 'Windows Kits\10\bin'
    $found = Get-ChildItem -Path $kits -Recurse -Filter signtool.exe -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -match '\\x64\\' } |
        Sort-Object FullName -Descending |
        Select-Object -First 1
    if (-not $found) { throw "signtool.exe not found (install the Windows SDK)" }
    return $found.FullName
}

$signtool = Find-SignTool
$timestamp = if ($env:WINDOWS_TIMESTAMP_URL) { $env:WINDOWS_TIMESTAMP_URL } else { 'http://timestamp.digicert.com' }
$pfx = Join-Path ([System.IO.Path]::GetTempPath()) ("sinoru-sign-" + [guid]::NewGuid() + ".pfx")
[System.IO.File]::WriteAllBytes($pfx, [System.Convert]::FromBase64String($env:WINDOWS_CERT_PFX_BASE64))
try {
    foreach ($file in $Files) {
        $file = $file.Trim('"')
        if (-not (Test-Path -LiteralPath $file)) { throw "sign.ps1: no such file: $file" }
        & $signtool sign /fd SHA256 /f $pfx /p $env:WINDOWS_CERT_PASSWORD `
            /tr $timestamp /td SHA256 /d 'Sinoru Desktop' $file
        if ($LASTEXITCODE -ne 0) { throw "signtool sign failed for $file ($LASTEXITCODE)" }
        & $signtool verify /pa /q $file
        if ($LASTEXITCODE -ne 0) { throw "signtool verify failed for $file ($LASTEXITCODE)" }
        Write-Host "signed: $file"
    }
}
finally {
    Remove-Item -LiteralPath $pfx -Force -ErrorAction SilentlyContinue
}
