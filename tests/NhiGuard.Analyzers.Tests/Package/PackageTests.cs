using NhiGuard.Analyzers.Tests.Verification;
using NhiGuard.TestSupport;

namespace NhiGuard.Analyzers.Tests.Package;

/// <summary>Packs NhiGuard.Analyzers once for the package tests, into a throw-away local feed.</summary>
public sealed class PackedAnalyzers : IDisposable
{
    private readonly TempDirectory _dir = new();

    public PackedAnalyzers()
    {
        Feed = Path.Combine(_dir.Path, "feed");
        string project = Path.Combine(RepositoryPaths.Root, "nuget", "NhiGuard.Analyzers", "NhiGuard.Analyzers.Package.csproj");
        ProcessResult pack = ProcessRunner.Run("dotnet", new[] { "pack", project, "-o", Feed, "-nologo" }, RepositoryPaths.Root, timeout: TimeSpan.FromMinutes(5));
        Assert.True(pack.ExitCode == 0, pack.ToString());
        Package = Assert.Single(Directory.GetFiles(Feed, "NhiGuard.Analyzers.*.nupkg"));
        Version = Path.GetFileNameWithoutExtension(Package)["NhiGuard.Analyzers.".Length..];
    }

    public string Feed { get; }

    public string Package { get; }

    public string Version { get; }

    public void Dispose() => _dir.Dispose();
}

/// <summary>
/// The package as a user gets it: restored from a feed into a new project, run by <c>dotnet build</c>.
/// Slow (a pack and a few builds); filter out with <c>--filter Category!=Package</c>.
/// </summary>
[Trait("Category", "Package")]
public sealed class PackageTests(PackedAnalyzers packed) : IClassFixture<PackedAnalyzers>
{
    [Fact]
    public void ThePackageHoldsAnalyzersAndBuildFilesAndNoLibFolder()
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(packed.Package);
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();

        Assert.Contains("analyzers/dotnet/cs/NhiGuard.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/NhiGuard.CodeFixes.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/NhiGuard.Detection.dll", entries);
        Assert.Contains("build/NhiGuard.Analyzers.targets", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
        using var nuspec = new StreamReader(zip.GetEntry("NhiGuard.Analyzers.nuspec")!.Open());
        Assert.Contains("<developmentDependency>true</developmentDependency>", nuspec.ReadToEnd());
    }

    [Fact]
    public void AHardCodedSecretIsAWarningInTheBuild()
    {
        using var project = Consumer("""var credential = new System.Net.NetworkCredential("svc", "correct-horse-battery-staple");""");

        ProcessResult build = Build(project);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("Program.cs(1,58): warning NHI001: Hard-coded credential flows into NetworkCredential(password)", build.StdOut);
    }

    [Fact]
    public void SeverityErrorFailsTheBuild()
    {
        using var project = Consumer("""var credential = new System.Net.NetworkCredential("svc", "correct-horse-battery-staple");""");
        project.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.NHI001.severity = error\n");

        ProcessResult build = Build(project);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error NHI001", build.StdOut);
    }

    [Fact]
    public void ConfigurationFilesReachTheAnalyzers()
    {
        using var project = Consumer("System.Console.WriteLine();");
        project.Write("appsettings.json", TestCompilation.Expand("{\n  \"Smtp\": { \"Password\": \"{{rand:alnum:16}}9\" }\n}\n"));

        ProcessResult build = Build(project);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("appsettings.json(2,26): warning NHI004: Configuration file holds a credential: Password [generic-password]", build.StdOut);
    }

    [Fact]
    public void TheNhiGuardYamlAllowlistReachesTheAnalyzers()
    {
        using var project = Consumer("System.Console.WriteLine();");
        project.Write(".nhiguard.yaml", "allow:\n  stopwords: [fixture]   # test values\n  paths: ['tests/**']\n");
        project.Write("appsettings.json", TestCompilation.Expand("{\n  \"Smtp\": { \"Password\": \"{{rand:alnum:16}}9\" },\n  \"Ftp\": { \"Password\": \"fixture{{rand:alnum:16}}9\" }\n}\n"));
        project.Write("tests/appsettings.Test.json", TestCompilation.Expand("{ \"Smtp\": { \"Password\": \"{{rand:alnum:16}}9\" } }\n"));

        ProcessResult build = Build(project);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("appsettings.json(2,26): warning NHI004: Configuration file holds a credential: Password [generic-password]", build.StdOut);
        Assert.DoesNotContain("appsettings.json(3,", build.StdOut);
        Assert.DoesNotContain("appsettings.Test.json", build.StdOut);
    }

    [Fact]
    public void ACleanProjectBuildsClean()
    {
        using var project = Consumer(
            """
            var credential = new System.Net.NetworkCredential("svc", System.Environment.GetEnvironmentVariable("SMTP_PASSWORD"));
            System.Console.WriteLine(credential.UserName);
            """);
        project.Write("appsettings.json", "{ \"Smtp\": { \"Password\": \"\" } }\n");

        ProcessResult build = Build(project);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("NHI", build.StdOut);
    }

    private TempDirectory Consumer(string program)
    {
        var dir = new TempDirectory();
        dir.Write("nuget.config",
            $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packed.Feed}" />
              </packageSources>
            </configuration>
            """);
        dir.Write("Consumer.csproj",
            $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>packages</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="NhiGuard.Analyzers" Version="{packed.Version}" />
              </ItemGroup>
            </Project>
            """);
        dir.Write("Program.cs", program + "\n");
        return dir;
    }

    // A private package folder, so that no earlier build of the package is taken from the cache.
    private static ProcessResult Build(TempDirectory project) =>
        ProcessRunner.Run("dotnet", new[] { "build", "-nologo", "-clp:NoSummary" }, project.Path, new Dictionary<string, string?> { ["NHIGUARD_ARTIFACTS"] = null });
}
