<#
.SYNOPSIS
  Build the Windows installer of Sinoru Desktop from this checkout, in a clean venv.

.DESCRIPTION
  Output goes under dist\ (or $env:SINORU_DIST): the build venv, PyInstaller's work folder,
  the onedir bundle (dist\pyi-dist\sinoru-desktop) and the installer
  (dist\sinoru-desktop-<version>-windows-x64-setup.exe). build\ keeps only sources.
  Needs Python 3.11+ (py launcher or $env:PYTHON) and Inno Setup 6 (ISCC.exe).
  Signs the executable, the installer and its uninstaller when WINDOWS_CERT_PFX_BASE64 is
  set (see sign.ps1).

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File build\windows\build_windows.ps1
#>
$ErrorActionPreference = 'Stop'
$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
$Dist = if ($env:SINORU_DIST) { $env:SINORU_DIST } else { Join-Path $Root 'dist' }
$Python = if ($env:PYTHON) { $env:PYTHON } else { 'python' }
$Venv = Join-Path $Dist 'venv'
$Src = Join-Path $Dist 'src'
$Work = Join-Path $Dist 'pyi-work'
$Bundles = Join-Path $Dist 'pyi-dist'
$Vpy = Join-Path $Venv 'Scripts\python.exe'

function Invoke-Checked {
    param([string] $Exe, [string[]] $Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed ($LASTEXITCODE)" }
}

New-Item -ItemType Directory -Force -Path $Dist | Out-Null
Write-Host "== Clean build environment: $Venv"
Invoke-Checked $Python @('-m', 'venv', '--clear', $Venv)
Invoke-Checked $Vpy @('-m', 'pip', 'install', '--quiet', '--upgrade', 'pip')

# Install from a copy: setuptools writes its own build\ folder into the source tree.
Write-Host "== Installing Sinoru and PyInstaller"
if (Test-Path $Src) { Remove-Item -Recurse -Force $Src }
New-Item -ItemType Directory -Force -Path $Src | Out-Null
Get-ChildItem -Path $Root -Force |
    Where-Object { $_.Name -notin @('dist', '.git', '.venv', 'venv') } |
    Copy-Item -Destination $Src -Recurse -Force
Invoke-Checked $Vpy @('-m', 'pip', 'install', '--quiet', $Src,
    '-r', (Join-Path $Root 'build\requirements-build.txt'))
Invoke-Checked $Vpy @((Join-Path $Root 'build\check_build_env.py'))

$Version = (& $Vpy -c 'import analysis; print(analysis.__version__)').Trim()
Write-Host "== PyInstaller (Sinoru $Version)"
Invoke-Checked (Join-Path $Venv 'Scripts\pyinstaller.exe') @(
    (Join-Path $Root 'build\sinoru.spec'), '--noconfirm', '--clean',
    '--workpath', $Work, '--distpath', $Bundles, '--log-level', 'WARN')
$App = Join-Path $Bundles 'sinoru-desktop'
$Exe = Join-Path $App 'sinoru-desktop.exe'
Invoke-Checked $Exe @('--version')
# The size budget (docs/packaging.md): fail the build rather than ship a bloated bundle.
$BudgetMB = if ($env:SINORU_SIZE_BUDGET_MB) { [int]$env:SINORU_SIZE_BUDGET_MB } else { 520 }
$SizeMB = [math]::Ceiling((Get-ChildItem -Recurse -File $App | Measure-Object -Sum Length).Sum / 1MB)
Write-Host "bundle size: $SizeMB MB (budget $BudgetMB MB)"
if ($SizeMB -gt $BudgetMB) { throw "the bundle is over its size budget: see docs/packaging.md" }
Invoke-Checked powershell.exe @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File',
    (Join-Path $PSScriptRoot 'sign.ps1'), $Exe)

Write-Host "== Inno Setup"
$Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) { $Iscc = Join-Path ${env:ProgramFiles(x86)} 'Inno Setup 6\ISCC.exe' }
if (-not (Test-Path $Iscc)) { throw "ISCC.exe not found: install Inno Setup 6 (choco install innosetup)" }
$IsccArgs = @("/DAppVersion=$Version", "/DSourceDir=$App", "/DOutputDir=$Dist",
    "/DIconFile=$(Join-Path $Work 'icons\sinoru.ico')")
if ($env:WINDOWS_CERT_PFX_BASE64) {
    $Sign = Join-Path $PSScriptRoot 'sign.ps1'
    $IsccArgs += @('/DSign', "/Ssinoru=powershell.exe -NoProfile -ExecutionPolicy Bypass -File `$q$Sign`$q `$f")
}
$IsccArgs += (Join-Path $PSScriptRoot 'sinoru.iss')
Invoke-Checked $Iscc $IsccArgs
$Setup = Join-Path $Dist "sinoru-desktop-$Version-windows-x64-setup.exe"
Write-Host "installer: $Setup"
