; 前台接待工作站 — Windows 安装程序（Inno Setup 6.3 或更新版本）
;
; 先在 Windows 上生成 dist\reception\（py packaging\build.py），然后在项目文件夹中：
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\installer.iss
; 生成 dist\前台接待工作站-安装程序.exe。
;
; - 安装到 Program Files（{autopf}\前台接待工作站，需要管理员权限），开始菜单和桌面快捷方式
;   都叫「前台接待工作站」，指向窗口程序 reception.exe；命令行用同一文件夹中的 reception-cli.exe。
; - 数据（数据库、设置、备份、日志、附件）由程序自己放在每个用户的
;   %LOCALAPPDATA%\reception-desk（platformdirs），从不放在 Program Files 里；安装时选了「这台电脑的所有账户
;   共用同一份数据」时放在 %ProgramData%\reception-desk（注册表 HKLM\Software\reception-desk 的 DataFolder
;   告诉程序；文件夹不继承上级权限，只有 SYSTEM、管理员和本机用户组可以读写）。安装程序不碰这个文件夹：
;   卸载后数据仍在；升级（同一 AppId）时数据原样保留，新版本第一次启动时自动迁移数据库（迁移前先备份）。
; - 版本号：AppVersion 与 reception.__version__ 一致（python packaging\version.py --check / --sync；
;   tests\test_packaging.py 检查），编译时再与 reception.exe 的版本信息核对。
; - 界面语言：如果 Inno Setup 带有简体中文语言文件（ChineseSimplified.isl，在 Inno Setup 的
;   Languages 文件夹中，或放在本文件旁边），就使用它；否则使用英文基础文件 Default.isl，
;   并用下面 [Messages] / [CustomMessages] 中的中文覆盖安装向导中看得到的文字。
;   本文件须保存为带 BOM 的 UTF-8。

#define AppName "前台接待工作站"
#define AppVersion "0.1.0"
#define AppPublisher "前台接待工作站"
#define AppExeName "reception.exe"
#define BundleDir AddBackslash(SourcePath) + "..\dist\reception"

#if !FileExists(BundleDir + "\" + AppExeName)
  #error 找不到 dist\reception\reception.exe：请先运行 py packaging\build.py
#endif
#define ExeVersion GetStringFileInfo(BundleDir + "\" + AppExeName, "ProductVersion")
#if ExeVersion != AppVersion
  #error dist\reception\reception.exe 的版本与本文件的 AppVersion 不一致：请重新运行 py packaging\build.py（并 python packaging\version.py --sync）
#endif

#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#endif

[Setup]
; 同一个 AppId：新版本安装在旧版本之上（升级），而不是装成第二个程序。不要修改。
AppId={{F25CE067-090F-4737-AA80-81FFB2EB94C6}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#GetVersionNumbersString(BundleDir + "\" + AppExeName)}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 支持的最早版本：Windows 10 1809（build 17763）
MinVersion=10.0.17763
UninstallDisplayIcon={app}\{#AppExeName}
SetupIconFile=..\resources\icons\reception.ico
UninstallDisplayName={#AppName}
OutputDir=..\dist
OutputBaseFilename=前台接待工作站-安装程序
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes
RestartApplications=no

[Languages]
#ifdef ChineseIsl
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
#else
Name: "chinesesimplified"; MessagesFile: "compiler:Default.isl"
#endif

#ifndef ChineseIsl
[LangOptions]
LanguageName=简体中文
LanguageID=$0804
LanguageCodePage=936

[Messages]
SetupAppTitle=安装
SetupWindowTitle=安装 - %1
UninstallAppTitle=卸载
UninstallAppFullTitle=卸载 %1
ButtonBack=< 上一步(&B)
ButtonNext=下一步(&N) >
ButtonInstall=安装(&I)
ButtonOK=确定
ButtonCancel=取消
ButtonYes=是(&Y)
ButtonNo=否(&N)
ButtonFinish=完成(&F)
ButtonBrowse=浏览(&B)...
ButtonWizardBrowse=浏览(&R)...
ButtonNewFolder=新建文件夹(&M)
ClickNext=点击“下一步”继续，点击“取消”退出安装。
WelcomeLabel1=欢迎安装 [name]
WelcomeLabel2=本向导将在这台电脑上安装 [name/ver]。%n%n安装前请先关闭正在运行的前台接待工作站。
WizardSelectDir=选择安装位置
SelectDirDesc=把 [name] 安装到哪里？
SelectDirLabel3=[name] 将安装到下面的文件夹。
SelectDirBrowseLabel=点击“下一步”继续；要换一个文件夹，请点击“浏览”。
DiskSpaceMBLabel=需要至少 [mb] MB 的磁盘空间。
WizardSelectTasks=选择附加任务
SelectTasksDesc=还要做哪些事？
SelectTasksLabel2=选择安装 [name] 时要执行的附加任务，然后点击“下一步”。
WizardReady=准备安装
ReadyLabel1=已准备好在这台电脑上安装 [name]。
ReadyLabel2a=点击“安装”开始；要检查或修改设置，请点击“上一步”。
ReadyLabel2b=点击“安装”开始。
ReadyMemoDir=安装位置：
ReadyMemoTasks=附加任务：
WizardPreparing=正在准备安装
PreparingDesc=正在准备在这台电脑上安装 [name]。
ApplicationsFound=下列程序正在使用需要更新的文件，建议让安装程序自动关闭它们。
ApplicationsFound2=下列程序正在使用需要更新的文件，建议让安装程序自动关闭它们。
CloseApplications=自动关闭这些程序(&A)
DontCloseApplications=不要关闭这些程序(&D)
WizardInstalling=正在安装
InstallingLabel=正在安装 [name]，请稍候。
FinishedHeadingLabel=[name] 安装完成
FinishedLabelNoIcons=[name] 已安装到这台电脑上。
FinishedLabel=[name] 已安装到这台电脑上，可以从桌面或开始菜单的快捷方式启动。
ClickFinish=点击“完成”退出安装。
RunEntryExec=运行 %1
ExitSetupTitle=退出安装
ExitSetupMessage=安装尚未完成。现在退出的话，程序不会被安装。%n%n以后可以再次运行安装程序。%n%n确定退出吗？
SetupAppRunningError=%1 正在运行。%n%n请先关闭它，然后点击“确定”继续，或点击“取消”退出。
UninstallAppRunningError=%1 正在运行。%n%n请先关闭它，然后点击“确定”继续，或点击“取消”退出。
ConfirmUninstall=确定要卸载 %1 吗？%n%n（数据库、设置和备份保存在各用户的数据文件夹中，不会被删除。）
UninstallStatusLabel=正在卸载 %1，请稍候。
UninstalledAll=%1 已卸载。
UninstalledMost=%1 已卸载。%n%n有些文件未能删除，可以手动删除。
AdminPrivilegesRequired=安装本程序需要管理员权限。
#endif

[CustomMessages]
DataPlace=数据保存位置：
SharedData=这台电脑的所有 Windows 账户共用同一份数据（%ProgramData%\reception-desk，只有本机账户可以读写）
#ifndef ChineseIsl
CreateDesktopIcon=创建桌面快捷方式(&D)
AdditionalIcons=快捷方式：
LaunchProgram=运行 %1
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
; 不选（默认）：每个 Windows 账户有自己的数据（%LOCALAPPDATA%\reception-desk）。
Name: "shareddata"; Description: "{cm:SharedData}"; GroupDescription: "{cm:DataPlace}"; Flags: unchecked

[Dirs]
Name: "{commonappdata}\reception-desk"; Tasks: shareddata; Flags: uninsneveruninstall

[Registry]
Root: HKLM; Subkey: "Software\reception-desk"; ValueType: string; ValueName: "DataFolder"; ValueData: "{commonappdata}\reception-desk"; Tasks: shareddata; Flags: uninsdeletevalue
Root: HKLM; Subkey: "Software\reception-desk"; ValueType: none; ValueName: "DataFolder"; Flags: deletevalue; Tasks: not shareddata

[InstallDelete]
; 升级时先删掉旧版本的程序文件（只在安装文件夹内），以免留下不再需要的旧库文件。用户数据不在这里。
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; 共用的数据文件夹：去掉继承的权限，只给 SYSTEM、Administrators（完全控制）和 Users（本机账户，修改）。
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\reception-desk"" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)M"; Flags: runhidden waituntilterminated; Tasks: shareddata
; runasoriginaluser: 以登录的用户（而不是管理员账户）启动，数据才会建在该用户的数据文件夹中。
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent runasoriginaluser

; 没有 [UninstallDelete]：卸载只删除安装的程序文件，%LOCALAPPDATA%\reception-desk 中的数据保留。
