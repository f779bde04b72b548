using System.Text.Json;
using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

public sealed class GitWorkTreeTests
{
    private static string[] Paths(ProcessResult r) =>
        JsonDocument.Parse(r.StdOut).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToArray();

    [Fact]
    public void InAWorkTreeTrackedAndUntrackedButNotIgnoredFilesAreScanned()
    {
        using var repo = new GitRepository();
        repo.Write(".gitignore", "bin/\n*.log\n");
        repo.Write("tracked.env", "T=" + Cli.GitHubToken(1));
        repo.Commit("init");
        repo.Write("untracked.env", "T=" + Cli.GitHubToken(2));
        repo.Write("bin/ignored.env", "T=" + Cli.GitHubToken(3));
        repo.Write("debug.log", "T=" + Cli.GitHubToken(4));

        Assert.Equal(["tracked.env", "untracked.env"], Paths(Cli.Run(repo.Path, "scan", ".", "-f", "json")));
        Assert.Equal(["bin/ignored.env", "debug.log", "tracked.env", "untracked.env"], Paths(Cli.Run(repo.Path, "scan", ".", "-f", "json", "--no-git")));
    }

    [Fact]
    public void ScanningASubfolderReportsPathsRelativeToIt()
    {
        using var repo = new GitRepository();
        repo.Write("svc/config/app.env", "T=" + Cli.GitHubToken(5));
        repo.Commit("init");
        Assert.Equal(["config/app.env"], Paths(Cli.Run(repo.Path, "scan", "svc", "-f", "json")));
    }

    [Fact]
    public void TheGitFolderItselfIsNeverScanned()
    {
        using var repo = new GitRepository();
        repo.Write("a.txt", "hello");
        repo.Commit("init");
        File.WriteAllText(Path.Combine(repo.Path, ".git", "description"), "T=" + Cli.GitHubToken(6));
        Assert.Equal(0, Cli.Run(repo.Path, "scan", ".", "--no-git").ExitCode);
        Assert.Equal(0, Cli.Run(repo.Path, "scan", ".").ExitCode);
    }
}
