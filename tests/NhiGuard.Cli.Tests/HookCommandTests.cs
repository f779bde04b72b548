using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

public sealed class HookCommandTests
{
    private static string HookPath(GitRepository repo) => Path.Combine(repo.Path, ".git", "hooks", "pre-commit");

    [Fact]
    public void TheInstalledHookBlocksACommitThatAddsASecretAndLetsOthersThrough()
    {
        using var repo = new GitRepository();
        Assert.Equal(0, Cli.Run(repo.Path, "hook", "install").ExitCode);
        Assert.Contains("nhiguard", File.ReadAllText(HookPath(repo)));

        repo.Write("a.txt", "hello\n");
        repo.Stage("a.txt");
        Assert.Equal(0, ProcessRunner.Run("git", ["commit", "-q", "-m", "clean"], repo.Path).ExitCode);

        repo.Write("app.env", "T=" + Cli.GitHubToken(1) + "\n");
        repo.Stage("app.env");
        ProcessResult blocked = ProcessRunner.Run("git", ["commit", "-q", "-m", "leak"], repo.Path);
        Assert.NotEqual(0, blocked.ExitCode);
        Assert.Contains("commit blocked", blocked.StdErr);
        Assert.Equal("clean", repo.Git("log", "-1", "--format=%s").Trim());
    }

    [Fact]
    public void AnExistingHookIsKeptUnlessForcedAndComesBackOnUninstall()
    {
        using var repo = new GitRepository();
        Directory.CreateDirectory(Path.GetDirectoryName(HookPath(repo))!);
        File.WriteAllText(HookPath(repo), "#!/bin/sh\necho mine\n");

        ProcessResult refused = Cli.Run(repo.Path, "hook", "install");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.StdErr);
        Assert.Equal("#!/bin/sh\necho mine\n", File.ReadAllText(HookPath(repo)));
        Assert.Equal(2, Cli.Run(repo.Path, "hook", "uninstall").ExitCode);

        Assert.Equal(0, Cli.Run(repo.Path, "hook", "install", "--force").ExitCode);
        Assert.Contains("nhiguard", File.ReadAllText(HookPath(repo)));
        Assert.Equal(0, Cli.Run(repo.Path, "hook", "install").ExitCode); // its own hook is updated in place

        Assert.Equal(0, Cli.Run(repo.Path, "hook", "uninstall").ExitCode);
        Assert.Equal("#!/bin/sh\necho mine\n", File.ReadAllText(HookPath(repo)));
        Assert.Equal(2, Cli.Run(repo.Path, "hook", "uninstall").ExitCode);
    }
}
