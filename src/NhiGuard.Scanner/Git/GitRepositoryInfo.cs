namespace NhiGuard.Scanner.Git;

/// <summary>What a scan needs to know about a repository before it reads any history.</summary>
/// <param name="Root">The work tree root, or the git folder of a bare repository: where git runs and paths are relative to.</param>
/// <param name="GitDirectory">The repository's git folder (absolute).</param>
/// <param name="Head">The commit HEAD points at; null in a repository without commits.</param>
/// <param name="ShallowBoundary">In a shallow clone, the commits whose parents are not in it.</param>
/// <param name="ObjectsDirectory">Where the objects are (shared by all worktrees).</param>
/// <param name="ObjectFormat">The hash git names objects with (sha1, sha256); null from a git too old to say.</param>
internal sealed record GitRepositoryInfo(string Root, string GitDirectory, bool IsBare, string? Head, IReadOnlyList<string> ShallowBoundary, string ObjectsDirectory, string? ObjectFormat)
{
    public bool IsShallow => ShallowBoundary.Count > 0;

    /// <summary>Opens the repository that holds <paramref name="path"/>; anything else is a one-line error.</summary>
    public static GitRepositoryInfo Open(string path)
    {
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new ConfigurationException(File.Exists(full) ? $"{path}: not a git repository (a file)" : $"{path}: no such folder");
        }

        var (code, output, error) = GitProcess.Run(full, ["rev-parse", "--is-bare-repository", "--absolute-git-dir", "--git-path", "shallow", "--git-path", "objects", "--show-object-format"]);
        if (code != 0)
        {
            throw new ConfigurationException(error.Contains("not a git repository", StringComparison.OrdinalIgnoreCase)
                ? $"{path}: not a git repository"
                : $"{path}: {GitProcess.FirstLine(error, "git rev-parse failed")}");
        }

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 4)
        {
            throw new ConfigurationException($"{path}: not a git repository");
        }

        bool bare = lines[0].Trim() == "true";
        string gitDirectory = lines[1].Trim();
        string shallowFile = Path.GetFullPath(lines[2].Trim(), full);
        string objects = Path.GetFullPath(lines[3].Trim(), full);
        string? format = lines.Length > 4 && lines[4].Trim() is "sha1" or "sha256" ? lines[4].Trim() : null;
        string root = bare ? gitDirectory : GitProcess.RunOrThrow(full, "rev-parse", "--show-toplevel");

        var head = GitProcess.Run(root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
        IReadOnlyList<string> boundary = File.Exists(shallowFile)
            ? File.ReadAllLines(shallowFile).Select(l => l.Trim()).Where(l => l.Length > 0).ToList()
            : [];
        return new GitRepositoryInfo(root, gitDirectory, bare, head.ExitCode == 0 ? head.Output.Trim() : null, boundary, objects, format);
    }

    /// <summary>The commit a revision names; a one-line error when there is none.</summary>
    public string ResolveCommit(string revision, string option)
    {
        if (revision.Length == 0 || revision.StartsWith('-'))
        {
            throw new ConfigurationException($"{option}: '{revision}' is not a revision");
        }

        var (code, output, _) = GitProcess.Run(Root, ["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"]);
        if (code != 0)
        {
            throw new ConfigurationException($"{option}: unknown revision '{revision}' in {Root}");
        }

        return output.Trim();
    }
}
