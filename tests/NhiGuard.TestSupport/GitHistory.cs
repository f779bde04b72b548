namespace NhiGuard.TestSupport;

/// <summary>Building history in a <see cref="GitRepository"/>: branches, merges, bytes, clones.</summary>
public static class GitHistory
{
    public static string WriteBytes(this GitRepository repo, string relative, byte[] content)
    {
        string full = Path.Combine(repo.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public static void Delete(this GitRepository repo, string relative) => File.Delete(Path.Combine(repo.Path, relative));

    public static void Checkout(this GitRepository repo, string branch, bool create = false) =>
        repo.Git(create ? ["checkout", "-q", "-b", branch] : ["checkout", "-q", branch]);

    /// <summary>Merges a branch; on a conflict, <paramref name="resolve"/> writes the resolution before the merge commit.</summary>
    public static string Merge(this GitRepository repo, string branch, Action? resolve = null)
    {
        var r = ProcessRunner.Run("git", ["merge", "-q", "--no-ff", "--no-edit", branch], repo.Path);
        if (r.ExitCode != 0)
        {
            if (resolve is null)
            {
                throw new InvalidOperationException($"git merge {branch} failed: {r.StdOut}{r.StdErr}");
            }

            resolve();
            repo.Git("add", "-A");
            repo.Git("commit", "-q", "--no-edit");
        }

        return repo.Head();
    }

    public static string Head(this GitRepository repo) => repo.Git("rev-parse", "HEAD").Trim();

    /// <summary>Stages everything without committing.</summary>
    public static void Stage(this GitRepository repo, params string[] paths) => repo.Git(["add", "--", .. paths]);

    /// <summary>A shallow clone (<c>--depth</c>) of <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static void CloneShallow(GitRepository source, string target, int depth)
    {
        var r = ProcessRunner.Run("git", ["clone", "-q", "--no-local", "--depth", depth.ToString(System.Globalization.CultureInfo.InvariantCulture), "file://" + source.Path, target], source.Path);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"git clone --depth {depth} failed: {r.StdErr}");
        }
    }
}
