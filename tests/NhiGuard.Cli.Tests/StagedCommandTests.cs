using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

public sealed class StagedCommandTests
{
    [Fact]
    public void AStagedSecretExits1WithAShortActionableMessage()
    {
        using var repo = new GitRepository();
        repo.Write("app.env", "T=" + Cli.GitHubToken(1) + "\n");
        repo.Stage("app.env");

        ProcessResult r = Cli.Run(repo.Path, "staged");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("app.env", r.StdOut);
        Assert.StartsWith("nhiguard: commit blocked: the staged changes add 1 secret.", r.StdErr);
        Assert.Contains("git commit --no-verify", r.StdErr);
        Assert.DoesNotContain(Cli.GitHubToken(1), r.StdOut + r.StdErr);
    }

    [Fact]
    public void AnUnstagedSecretIsNotFound()
    {
        using var repo = new GitRepository();
        repo.Write("a.txt", "a\n");
        repo.Commit("init");
        repo.Write("app.env", "T=" + Cli.GitHubToken(2) + "\n");
        repo.Write("a.txt", "a\nb\n");
        repo.Stage("a.txt");

        ProcessResult r = Cli.Run(repo.Path, "staged");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.StdErr);
    }

    [Fact]
    public void OutsideARepositoryItExits2()
    {
        using var dir = new TempDirectory();
        ProcessResult r = Cli.Run(dir.Path, "staged");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("nhiguard: .: not a git repository", r.StdErr.TrimEnd());
    }
}
