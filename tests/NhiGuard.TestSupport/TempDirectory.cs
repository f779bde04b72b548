namespace NhiGuard.TestSupport;

/// <summary>A folder under the system temp path, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nhiguard-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes a file (creating folders) and returns its full path.</summary>
    public string Write(string relative, string content)
    {
        string full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Write(string relative, byte[] content)
    {
        string full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            // Never through a symbolic link: tests put links to / and to the folder itself in here.
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
            foreach (string f in Directory.EnumerateFiles(Path, "*", options))
            {
                File.SetAttributes(f, FileAttributes.Normal);
            }

            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        // Names that are not UTF-8 cannot be deleted through .NET (it cannot name them).
        if (Directory.Exists(Path) && !OperatingSystem.IsWindows())
        {
            ProcessRunner.Run("rm", ["-rf", "--", Path], System.IO.Path.GetTempPath());
        }
    }
}
