; Inno Setup 6 script for the Sinoru Desktop installer (Windows 10/11, x64).
;
; Build the onedir bundle first (build\windows\build_windows.ps1 does both steps), then:
;   iscc /DAppVersion=0.1.0 /DSourceDir=<dist>\sinoru-desktop /DOutputDir=<dist> ^
;        /DIconFile=<work>\icons\sinoru.ico build\windows\sinoru.iss
; With a code-signing certificate, also pass
;   /DSign "/Ssinoru=powershell.exe -NoProfile -ExecutionPolicy Bypass -File build\windows\sign.ps1 $f"
; (/DSign turns on SignTool= below; /Ssinoru= defines the command Inno Setup runs for it.)
; so that the installer and its uninstaller are signed too.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z
#endif
#ifndef SourceDir
  #error Pass the onedir bundle folder: iscc /DSourceDir=...\sinoru-desktop
#endif
#ifndef OutputDir
  #define OutputDir "."
#endif

#define AppName "Sinoru Desktop"
#define AppExe "sinoru-desktop.exe"
#define AppPublisher "Sinoru Desktop developers"
#define ProgId "SinoruDesktop.Project"

[Setup]
; Never change AppId: it ties upgrades and the uninstaller to earlier installs.
AppId={{6B1F3C2E-5D47-4A8B-9E21-3C7A5F0D8B64}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} installer
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Analysts often have no admin rights: offer a per-user install, all-users when allowed.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; PySide6 6.x supports Windows 10 and later.
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=sinoru-desktop-{#AppVersion}-windows-x64-setup
#ifdef IconFile
SetupIconFile={#IconFile}
#endif
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no
#ifdef Sign
SignTool=sinoru
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "association"; Description: "Open .sinoru project files with {#AppName}"; GroupDescription: "File types:"

[InstallDelete]
; An upgrade replaces the whole bundle: files dropped from a newer build must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Compare how media groups frame the same story"
Name: "{group}\{#AppName} demo project"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The .sinoru file type (HKA: per-user or all-users, following the install mode).
Root: HKA; Subkey: "Software\Classes\.sinoru"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\.sinoru"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-sinoru-project"; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\.sinoru\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Sinoru Project"; Flags: uninsdeletekey; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: association
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".sinoru"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
