using System.Diagnostics;
using System.Text;
using System.Text.Unicode;

namespace NhiGuard.Scanner.Sources;

/// <summary>A file to scan: its full path and its '/'-separated path relative to the scanned root.</summary>
public sealed record SourceFile(string FullPath, string RelativePath)
{
    /// <summary>The path's bytes when it is not valid UTF-8 (<see cref="FullPath"/> then only shows it).</summary>
    public byte[]? NativePath { get; init; }
}

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

        List<byte[]>? listed = useGit ? GitListFiles(root) : null;
        var files = new List<SourceFile>();
        if (listed is null)
        {
            Walk(root, root, files, stats, onWarning);
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (byte[] name in listed)
            {
                if (!Utf8.IsValid(name))
                {
                    // Keyed apart from the valid names (no path holds a NUL), so none is taken for another.
                    if (seen.Add("\0" + Convert.ToHexString(name)))
                    {
                        // A folder git lists is a submodule: not descended into, as below.
                        AddNative(Encoding.UTF8.GetBytes(root), name, NativePaths.Display(name), kind: null, descend: false, files, stats, onWarning);
                    }

                    continue;
                }

                string relative = Encoding.UTF8.GetString(name);
                if (!seen.Add(relative))
                {
                    continue;
                }

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
        List<FileSystemInfo> entries;
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

        if (NativePaths.Supported && entries.Any(e => e.Name.Contains('\uFFFD', StringComparison.Ordinal)))
        {
            entries = WithNativeEntries(root, directory, entries, files, stats, onWarning);
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

    // Names that are not valid UTF-8 came back with U+FFFD and cannot be opened by that name: the
    // folder is listed again by its bytes, those entries are taken from there, the others kept.
    private static List<FileSystemInfo> WithNativeEntries(string root, string directory, List<FileSystemInfo> entries, List<SourceFile> files, ScanStatistics stats, Action<string> onWarning)
    {
        byte[] native = Encoding.UTF8.GetBytes(directory);
        string prefix = directory == root ? "" : Relative(root, directory) + "/";
        if (ListNative(native, Relative(root, directory), stats, onWarning) is not { } listed)
        {
            return entries;
        }

        var valid = new HashSet<string>(StringComparer.Ordinal);
        foreach ((byte[] name, NativePaths.Kind kind) in listed)
        {
            if (Utf8.IsValid(name))
            {
                valid.Add(Encoding.UTF8.GetString(name));
            }
            else
            {
                AddNative(native, name, prefix + NativePaths.Display(name), kind, descend: true, files, stats, onWarning);
            }
        }

        return entries.Where(e => !e.Name.Contains('\uFFFD', StringComparison.Ordinal) || valid.Contains(e.Name)).ToList();
    }

    // A folder whose entries or own path are not valid UTF-8: listed and read by the bytes.
    private static void WalkNative(byte[] directory, string relative, List<SourceFile> files, ScanStatistics stats, Action<string> onWarning)
    {
        foreach ((byte[] name, NativePaths.Kind kind) in ListNative(directory, relative, stats, onWarning) ?? [])
        {
            if (kind != NativePaths.Kind.Directory || name is not [(byte)'.', (byte)'g', (byte)'i', (byte)'t'])
            {
                AddNative(directory, name, relative + "/" + NativePaths.Display(name), kind, descend: true, files, stats, onWarning);
            }
        }
    }

    private static List<(byte[] Name, NativePaths.Kind Kind)>? ListNative(byte[] directory, string relative, ScanStatistics stats, Action<string> onWarning)
    {
        try
        {
            return NativePaths.List(directory);
        }
        catch (IOException e)
        {
            onWarning($"{relative}: cannot list folder: {e.Message}");
            stats.AddUnreadable();
            return null;
        }
    }

    // One entry below the bytes of a folder; a null kind (git's listing knows no more) means look.
    private static void AddNative(byte[] directory, byte[] name, string relative, NativePaths.Kind? kind, bool descend, List<SourceFile> files, ScanStatistics stats, Action<string> onWarning)
    {
        if (!NativePaths.Supported)
        {
            onWarning($"{relative}: cannot read: its name is not valid UTF-8");
            stats.AddUnreadable();
            return;
        }

        byte[] path = NativePaths.Combine(directory, name);
        switch (kind ?? NativePaths.KindOf(path))
        {
            case NativePaths.Kind.Symlink:
                stats.AddSkippedSymlink();
                break;
            case NativePaths.Kind.Directory when descend:
                WalkNative(path, relative, files, stats, onWarning);
                break;
            case NativePaths.Kind.File:
                files.Add(new SourceFile(NativePaths.Display(path), relative) { NativePath = path });
                break;
        }
    }

    private static string Relative(string root, string full) => Path.GetRelativePath(root, full).Replace('\\', '/');

    /// <summary>The paths (as git's bytes) git would show for the folder, or null when it is not in a work tree (or git is missing).</summary>
    private static List<byte[]>? GitListFiles(string root)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
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
            var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            _ = errorTask.Result;
            if (process.ExitCode != 0)
            {
                return null;
            }

            var paths = new List<byte[]>();
            byte[] buffer = output.GetBuffer();
            foreach (Range range in buffer.AsSpan(0, (int)output.Length).Split((byte)0))
            {
                if (range.GetOffsetAndLength(buffer.Length).Length > 0)
                {
                    paths.Add(buffer[range]);
                }
            }

            return paths;
        }
    }
}
