using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

/// <summary>
/// Packs nuget/NhiGuard.Cli once into a throw-away local feed and installs it from there into a
/// throw-away tool path, the way users get it (<c>dotnet tool install NhiGuard.Cli</c>).
/// </summary>
public sealed class InstalledTool : IDisposable
{
    private readonly TempDirectory _dir = new();

    public InstalledTool()
    {
        Feed = Path.Combine(_dir.Path, "feed");
        ToolPath = Path.Combine(_dir.Path, "tools");
        string project = Path.Combine(RepositoryPaths.Root, "nuget", "NhiGuard.Cli", "NhiGuard.Cli.Package.csproj");
        ProcessResult pack = ProcessRunner.Run("dotnet", ["pack", project, "-o", Feed, "-nologo"], RepositoryPaths.Root, timeout: TimeSpan.FromMinutes(5));
        Assert.True(pack.ExitCode == 0, pack.ToString());

        // NhiGuard.Cli.<version>.nupkg names the packages for each platform (NhiGuard.Cli.<rid>.<version>.nupkg).
        Package = Assert.Single(Directory.GetFiles(Feed, "NhiGuard.Cli.*.nupkg"), f => char.IsDigit(Path.GetFileName(f)["NhiGuard.Cli.".Length]));
        Version = Path.GetFileNameWithoutExtension(Package)["NhiGuard.Cli.".Length..];

        // The tool path's own package store, so no earlier build of the package is taken from a cache.
        ProcessResult install = ProcessRunner.Run(
            "dotnet",
            ["tool", "install", "NhiGuard.Cli", "--tool-path", ToolPath, "--add-source", Feed, "--version", Version],
            _dir.Path,
            timeout: TimeSpan.FromMinutes(3));
        Assert.True(install.ExitCode == 0, install.ToString());
        Command = Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "nhiguard.exe" : "nhiguard");
    }

    public string Feed { get; }

    /// <summary>The package users ask for: it names one package per platform.</summary>
    public string Package { get; }

    /// <summary>The package for a runtime identifier (<c>any</c>: every other platform).</summary>
    public string PackageFor(string rid) => Path.Combine(Feed, $"NhiGuard.Cli.{rid}.{Version}.nupkg");

    public string Version { get; }

    public string ToolPath { get; }

    /// <summary>The shim <c>dotnet tool install</c> made: what is on a user's PATH.</summary>
    public string Command { get; }

    /// <summary>
    /// The environment to start the shim in. The shim finds the runtime through DOTNET_ROOT or the
    /// default install location; this points it at the runtime these tests run on, in case the SDK is
    /// installed somewhere else (as actions/setup-dotnet may do).
    /// </summary>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>
    {
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/
        ["DOTNET_ROOT"] = System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root
            ? root
            : new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar)).Parent!.Parent!.Parent!.FullName,
    };

    public ProcessResult Run(string workingDirectory, params string[] args) =>
        ProcessRunner.Run(Command, args, workingDirectory, Environment);

    public void Dispose() => _dir.Dispose();
}

/// <summary>
/// The <c>nhiguard</c> .NET tool as a user installs it. Slow (a pack and an install, once for the
/// class); filter out with <c>--filter Category!=Package</c>.
/// </summary>
[Trait("Category", "Package")]
public sealed class ToolPackageTests(InstalledTool tool) : IClassFixture<InstalledTool>
{
    [Fact]
    public void ThePackageNamesAPrecompiledPackageForLinuxAndWindowsAndAPortableOneForTheRest()
    {
        string[] ids = Directory.GetFiles(tool.Feed, "*.nupkg").Select(f => Path.GetFileName(f)[..^$".{tool.Version}.nupkg".Length]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["NhiGuard.Cli", "NhiGuard.Cli.any", "NhiGuard.Cli.linux-x64", "NhiGuard.Cli.win-x64"], ids);

        using var zip = ZipFile.OpenRead(tool.Package);
        using var settings = new StreamReader(zip.GetEntry("tools/any/any/DotnetToolSettings.xml")!.Open());
        string pointer = settings.ReadToEnd();
        foreach (string rid in new[] { "linux-x64", "win-x64", "any" })
        {
            Assert.Contains($"<RuntimeIdentifierPackage RuntimeIdentifier=\"{rid}\" Id=\"NhiGuard.Cli.{rid}\" />", pointer);
        }

        using var nuspec = new StreamReader(zip.GetEntry("NhiGuard.Cli.nuspec")!.Open());
        string manifest = nuspec.ReadToEnd();
        Assert.Contains("<id>NhiGuard.Cli</id>", manifest);
        Assert.Contains("<packageType name=\"DotnetTool\" />", manifest);
        Assert.Contains("README.md", zip.Entries.Select(e => e.FullName));
    }

    /// <summary>Where a platform's package holds the tool: self-contained packages under 'any', the portable one under its framework.</summary>
    private static string FolderFor(string rid) => rid == "any" ? "tools/net10.0/any/" : $"tools/any/{rid}/";

    [Theory]
    [InlineData("any")]
    [InlineData("linux-x64")]
    [InlineData("win-x64")]
    public void EachPlatformsPackageIsTheDotnetToolNhiguardPrecompiledWhereItCanBe(string rid)
    {
        bool selfContained = rid != "any";
        using var zip = ZipFile.OpenRead(tool.PackageFor(rid));
        string folder = FolderFor(rid);
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
        Assert.DoesNotContain(entries, e => e.StartsWith("tools/", StringComparison.Ordinal) && !e.StartsWith(folder, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
        using var settings = new StreamReader(zip.GetEntry(folder + "DotnetToolSettings.xml")!.Open());
        Assert.Contains(
            rid switch
            {
                "any" => "<Command Name=\"nhiguard\" EntryPoint=\"nhiguard.dll\" Runner=\"dotnet\" />",
                "win-x64" => "<Command Name=\"nhiguard\" EntryPoint=\"nhiguard.exe\" Runner=\"executable\" />",
                _ => "<Command Name=\"nhiguard\" EntryPoint=\"nhiguard\" Runner=\"executable\" />",
            },
            settings.ReadToEnd());

        // Linux and Windows x64: the runtime inside, trimmed, and one composite ReadyToRun image of the
        // tool and the framework ('staged' on a small commit 148 -> 119 ms); IL on every other platform,
        // on the machine's runtime.
        Assert.Equal(selfContained, entries.Contains(folder + "System.Private.CoreLib.dll"));
        Assert.Equal(selfContained, entries.Contains(folder + "nhiguard.r2r.dll"));
        if (selfContained)
        {
            // Trimmed: the libraries nhiguard never calls are left out.
            Assert.DoesNotContain(folder + "System.Private.Xml.Linq.dll", entries);
            Assert.DoesNotContain(folder + "System.Net.Mail.dll", entries);
        }

        foreach (string assembly in new[] { "nhiguard.dll", "NhiGuard.Scanner.dll", "NhiGuard.Detection.dll", "YamlDotNet.dll" })
        {
            using var stream = new MemoryStream();
            using (Stream entry = zip.GetEntry(folder + assembly)!.Open())
            {
                entry.CopyTo(stream);
            }

            stream.Position = 0;
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            Assert.True((pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0) == selfContained, $"{rid}/{assembly}: ReadyToRun should be {selfContained}");
        }
    }

    /// <summary>
    /// The package compiles src/NhiGuard.Cli's sources in a project of its own: the runtime settings
    /// and the assemblies of the CLI these tests build (src/NhiGuard.Cli) must all be in every platform's package.
    /// </summary>
    [Theory]
    [InlineData("any")]
    [InlineData("linux-x64")]
    [InlineData("win-x64")]
    public void ThePackageRunsLikeTheCliBuiltFromSource(string rid)
    {
        using var zip = ZipFile.OpenRead(tool.PackageFor(rid));
        string folder = FolderFor(rid);
        using var packaged = JsonDocument.Parse(zip.GetEntry(folder + "nhiguard.runtimeconfig.json")!.Open());
        using var built = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "nhiguard.runtimeconfig.json")));
        JsonElement packagedOptions = packaged.RootElement.GetProperty("runtimeOptions");
        foreach (JsonProperty setting in built.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").EnumerateObject())
        {
            Assert.True(
                packagedOptions.GetProperty("configProperties").TryGetProperty(setting.Name, out JsonElement value) && value.ToString() == setting.Value.ToString(),
                $"the package's nhiguard.runtimeconfig.json lacks {setting.Name} = {setting.Value}; keep nuget/NhiGuard.Cli in step with src/NhiGuard.Cli");
        }

        if (rid == "any")
        {
            Assert.Equal("Major", packagedOptions.GetProperty("rollForward").GetString());
        }
        else
        {
            // Self-contained: the runtime it was built with, whatever the machine has.
            Assert.Equal("Microsoft.NETCore.App", packagedOptions.GetProperty("includedFrameworks")[0].GetProperty("name").GetString());
        }

        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "nhiguard.deps.json")));
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
        foreach (JsonProperty library in deps.RootElement.GetProperty("targets").EnumerateObject().Single().Value.EnumerateObject())
        {
            if (library.Value.TryGetProperty("runtime", out JsonElement runtime))
            {
                foreach (JsonProperty assembly in runtime.EnumerateObject())
                {
                    Assert.Contains(folder + Path.GetFileName(assembly.Name), entries);
                }
            }
        }
    }

    [Fact]
    public void HelpAndVersionExit0()
    {
        ProcessResult help = tool.Run(tool.ToolPath, "--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("Usage:", help.StdOut);
        foreach (string command in new[] { "scan", "history", "staged", "baseline", "hook", "rules" })
        {
            Assert.Contains("  " + command, help.StdOut);
        }

        ProcessResult version = tool.Run(tool.ToolPath, "--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.StartsWith(tool.Version, version.StdOut.Trim());
    }

    [Fact]
    public void ScanFindsASecretAndExits1()
    {
        using var dir = new TempDirectory();
        string token = Cli.GitHubToken(41);
        dir.Write("config/app.env", $"GITHUB_TOKEN={token}\n");
        dir.Write("src/clean.cs", "var x = 1;\n");

        ProcessResult r = tool.Run(dir.Path, "scan", ".");

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("app.env", r.StdOut);
        Assert.DoesNotContain(token, r.StdOut + r.StdErr);
    }

    [Fact]
    public void ACleanFolderExits0()
    {
        using var dir = new TempDirectory();
        dir.Write("src/clean.cs", "var x = 1;\n");

        ProcessResult r = tool.Run(dir.Path, "scan", ".");

        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public void ThePreCommitHookItInstallsRunsTheToolAndBlocksASecret()
    {
        using var repo = new GitRepository();
        repo.Write("a.txt", "a\n");
        repo.Commit("init");

        ProcessResult install = tool.Run(repo.Path, "hook", "install");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains(tool.Command.Replace('\\', '/'), File.ReadAllText(Path.Combine(repo.Path, ".git", "hooks", "pre-commit")));

        repo.Write("app.env", $"T={Cli.GitHubToken(42)}\n");
        repo.Git("add", "app.env");
        ProcessResult commit = ProcessRunner.Run("git", ["commit", "-q", "-m", "add a secret"], repo.Path, tool.Environment);

        Assert.True(commit.ExitCode != 0, commit.ToString());
        Assert.Contains("nhiguard: commit blocked", commit.StdErr);
        Assert.Equal("init", repo.Git("log", "-1", "--format=%s").Trim());
    }
}
