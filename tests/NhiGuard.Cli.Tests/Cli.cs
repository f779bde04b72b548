using NhiGuard.Scanner.Rules;
using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

/// <summary>Runs the built <c>nhiguard</c> as a process, the way users and CI do.</summary>
internal static class Cli
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "nhiguard.dll");

    public static ProcessResult Run(string workingDirectory, params string[] args) =>
        ProcessRunner.Run("dotnet", [Dll, .. args], workingDirectory);

    public static ProcessResult RunWithEnvironment(string workingDirectory, IDictionary<string, string?> environment, params string[] args) =>
        ProcessRunner.Run("dotnet", [Dll, .. args], workingDirectory, environment);

    /// <summary>Runs as an unprivileged user (to test unreadable files when the tests run as root).</summary>
    public static ProcessResult RunAsNobody(string workingDirectory, params string[] args) =>
        ProcessRunner.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", Dll, .. args], workingDirectory,
            new Dictionary<string, string?> { ["HOME"] = "/tmp", ["DOTNET_CLI_HOME"] = "/tmp" });

    /// <summary>Root reads and lists everything, so where the tests run as root, as nobody.</summary>
    public static ProcessResult RunUnprivileged(string workingDirectory, params string[] args) =>
        Environment.UserName == "root" ? RunAsNobody(workingDirectory, args) : Run(workingDirectory, args);

    /// <summary>A GitHub token with a valid checksum, built at run time so none is committed.</summary>
    public static string GitHubToken(int seed) => new ExampleTemplate(seed).Expand("{{github:ghp}}");

    public static string Random(int seed, string charset, int n) => new ExampleTemplate(seed).Expand($"{{{{rand:{charset}:{n}}}}}");
}
