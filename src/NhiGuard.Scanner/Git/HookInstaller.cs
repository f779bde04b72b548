namespace NhiGuard.Scanner.Git;

/// <summary>What a hook command did, for the one line the CLI prints.</summary>
public sealed record HookOutcome(string HookPath, string Message);

/// <summary>
/// Installs and removes the <c>pre-commit</c> hook that runs <c>nhiguard staged</c>. A hook that
/// nhiguard did not write is never overwritten without --force, and then it is kept aside and
/// put back on uninstall.
/// </summary>
public static class HookInstaller
{
    public const string Marker = "# nhiguard pre-commit hook";
    private const string SavedSuffix = ".before-nhiguard";

    /// <param name="repository">The repository (or a folder in it).</param>
    /// <param name="command">The shell words that start nhiguard (e.g. <c>"/opt/nhiguard/nhiguard"</c>); <c>nhiguard</c> on PATH is the fallback.</param>
    /// <param name="existsTest">The shell test that the command is still there (e.g. <c>-x "/opt/nhiguard/nhiguard"</c>).</param>
    public static HookOutcome Install(string repository, bool force, string command, string existsTest)
    {
        string hook = HookPath(repository);
        string? saved = null;
        if (File.Exists(hook) && !IsOurs(hook))
        {
            if (!force)
            {
                throw new ConfigurationException($"{hook} exists and was not written by nhiguard; left as is (--force replaces it and keeps it as pre-commit{SavedSuffix})");
            }

            saved = hook + SavedSuffix;
            File.Move(hook, saved, overwrite: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(hook)!);
        string script = $"""
            #!/bin/sh
            {Marker}: blocks commits that add secrets. 'nhiguard hook uninstall' removes it;
            # 'git commit --no-verify' skips it once.
            if [ {existsTest} ]; then
              exec {command} staged
            fi
            exec nhiguard staged

            """;
        File.WriteAllText(hook, script.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, File.GetUnixFileMode(hook) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return new HookOutcome(hook, saved is null ? $"pre-commit hook installed: {hook}" : $"pre-commit hook installed: {hook} (the previous hook is kept as {saved})");
    }

    public static HookOutcome Uninstall(string repository)
    {
        string hook = HookPath(repository);
        if (!File.Exists(hook))
        {
            return new HookOutcome(hook, $"no pre-commit hook to remove: {hook}");
        }

        if (!IsOurs(hook))
        {
            throw new ConfigurationException($"{hook} was not written by nhiguard; left as is");
        }

        File.Delete(hook);
        string saved = hook + SavedSuffix;
        if (File.Exists(saved))
        {
            File.Move(saved, hook);
            return new HookOutcome(hook, $"pre-commit hook removed; the previous hook is back: {hook}");
        }

        return new HookOutcome(hook, $"pre-commit hook removed: {hook}");
    }

    // core.hooksPath, worktrees and bare repositories are git's business: ask it.
    private static string HookPath(string repository)
    {
        GitRepositoryInfo repo = GitRepositoryInfo.Open(repository);
        string hooks = GitProcess.RunOrThrow(repo.Root, "rev-parse", "--git-path", "hooks");
        return Path.Combine(Path.GetFullPath(hooks, repo.Root), "pre-commit");
    }

    private static bool IsOurs(string hook)
    {
        try
        {
            return File.ReadAllText(hook).Contains(Marker, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{hook}: cannot read: {e.Message}");
        }
    }
}
