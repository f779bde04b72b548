using System.Diagnostics;
using System.Text;

namespace NhiGuard.Scanner.Sources;

/// <summary>A file to scan: its full path and its '/'-separated path relative to the scanned root.</summary>
public sealed record SourceFile(string FullPath, string RelativePath);

/// <summary>
/// The files of a folder: in a git work tree the tracked and the untracked-but-not-ignored ones
/// (what <c>git ls-files --cached --others --exclude-standard</c> lists); elsewhere, or with
/// <c>--no-git</c>, every file below it. Symlinks are never followed, so nothing outside the tree is
/// read and a link loop cannot hang the walk.
/// </summary>
public static class WorkingTreeSource
{
    public static IReadOnlyList<SourceFile> Enumerate(string root, bool useGit, ScanStatistics stats, Action<string> onWarning)
    {
        root = Path.GetFullPath(root);
        if (File.Exists(root))
        {
            return [new SourceFile(root, Path.GetFileName(root))];
        }

        if (!Directory.Exists(root))
        {
            throw new ConfigurationException($"{root}: no such file or folder");
        }

        List<string>? listed = useGit ? GitListFiles(root) : null;
        var files = new List<SourceFile>();
        if (listed is null)
        {
            Walk(root, root, files, stats, onWarning);
        }
        else
        {
            foreach (string relative in listed)
            {
                string full = Path.Combine(root, relative);
                FileInfo info = new(full);
                if (!info.Exists)
                {
                    // Deleted in the work tree, or a submodule (a folder): nothing to read.
                    continue;
                }

                if (info.LinkTarget is not null)
                {
                    stats.AddSkippedSymlink();
                    continue;
                }

                files.Add(new SourceFile(full, relative.Replace('\\', '/')));
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return files;
    }

    private static void Walk(string root, string directory, List<SourceFile> files, ScanStatistics stats, Action<string> onWarning)
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(directory).EnumerateFileSystemInfos().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            onWarning($"{Relative(root, directory)}: cannot list folder: {e.Message}");
            stats.AddUnreadable();
            return;
        }

        foreach (FileSystemInfo entry in entries)
        {
            if (entry.LinkTarget is not null)
            {
                stats.AddSkippedSymlink();
                continue;
            }

            if (entry is DirectoryInfo dir)
            {
                if (dir.Name != ".git")
                {
                    Walk(root, dir.FullName, files, stats, onWarning);
                }
            }
            else if (entry is FileInfo file)
            {
                files.Add(new SourceFile(file.FullName, Relative(root, file.FullName)));
            }
        }
    }

    private static string Relative(string root, string full) => Path.GetRelativePath(root, full).Replace('\\', '/');

    /// <summary>The files git would show for the folder, or null when it is not in a work tree (or git is missing).</summary>
    private static List<string>? GitListFiles(string root)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        foreach (string a in new[] { "-c", "core.quotepath=off", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate" })
        {
            psi.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        using (process)
        {
            var errorTask = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = errorTask.Result;
            if (process.ExitCode != 0)
            {
                return null;
            }

            return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        }
    }
}
