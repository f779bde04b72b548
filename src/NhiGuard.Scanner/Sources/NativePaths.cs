using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace NhiGuard.Scanner.Sources;

/// <summary>
/// Files whose path is not valid UTF-8. Linux lets a name hold any byte but NUL and '/', while
/// .NET's file APIs take UTF-16 strings and encode them as UTF-8, so such a file can be listed
/// (its name decoded with U+FFFD) but not opened by that name. These are listed and opened with
/// the raw bytes through libc instead; elsewhere (macOS and Windows names are always Unicode) they
/// do not arise.
/// </summary>
internal static partial class NativePaths
{
    // Linux's values on every 64-bit architecture .NET runs on (asm-generic and x86-64 agree).
    private const int ORdOnly = 0, ONonBlock = 0x800, OCloExec = 0x80000;
    private const int ENoEnt = 2, ENotDir = 20;
    private const byte DtUnknown = 0, DtDir = 4, DtReg = 8, DtLnk = 10;

    // struct dirent of glibc and musl on 64-bit Linux: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
    private const int DirentType = 18, DirentName = 19;

    public static bool Supported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    public enum Kind
    {
        Missing,
        File,
        Directory,
        Symlink,
    }

    /// <summary>How the path is shown in reports: invalid bytes become U+FFFD, as in history's paths.</summary>
    public static string Display(ReadOnlySpan<byte> path) => Encoding.UTF8.GetString(path);

    public static byte[] Combine(ReadOnlySpan<byte> directory, ReadOnlySpan<byte> name)
    {
        var path = new byte[directory.Length + 1 + name.Length];
        directory.CopyTo(path);
        path[directory.Length] = (byte)'/';
        name.CopyTo(path.AsSpan(directory.Length + 1));
        return path;
    }

    /// <summary>Opens for reading without following a FIFO into a blocking open.</summary>
    public static SafeFileHandle OpenRead(byte[] path)
    {
        int fd = open(Terminated(path), ORdOnly | ONonBlock | OCloExec);
        if (fd < 0)
        {
            throw Error(Marshal.GetLastPInvokeError());
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public static Kind KindOf(byte[] path)
    {
        byte[] terminated = Terminated(path);
        if (readlink(terminated, new byte[1], 1) >= 0)
        {
            return Kind.Symlink;
        }

        nint dir = opendir(terminated);
        if (dir != 0)
        {
            _ = closedir(dir);
            return Kind.Directory;
        }

        // Anything else that exists (a file, a FIFO, one we may not read) is left to the read to judge.
        return Marshal.GetLastPInvokeError() == ENoEnt ? Kind.Missing : Kind.File;
    }

    /// <summary>The entries of a folder (not '.' and '..') with their kinds.</summary>
    public static List<(byte[] Name, Kind Kind)> List(byte[] directory)
    {
        nint dir = opendir(Terminated(directory));
        if (dir == 0)
        {
            throw Error(Marshal.GetLastPInvokeError());
        }

        var entries = new List<(byte[], Kind)>();
        try
        {
            while (true)
            {
                nint entry = readdir(dir);
                if (entry == 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    return errno == 0 ? entries : throw Error(errno);
                }

                byte[] name = NameOf(entry);
                if (name is [(byte)'.'] or [(byte)'.', (byte)'.'])
                {
                    continue;
                }

                Kind kind = Marshal.ReadByte(entry, DirentType) switch
                {
                    DtDir => Kind.Directory,
                    DtReg => Kind.File,
                    DtLnk => Kind.Symlink,
                    DtUnknown => KindOf(Combine(directory, name)),
                    _ => Kind.File,
                };
                entries.Add((name, kind));
            }
        }
        finally
        {
            _ = closedir(dir);
        }
    }

    private static byte[] NameOf(nint entry)
    {
        int length = 0;
        while (Marshal.ReadByte(entry, DirentName + length) != 0)
        {
            length++;
        }

        var name = new byte[length];
        Marshal.Copy(entry + DirentName, name, 0, length);
        return name;
    }

    private static byte[] Terminated(byte[] path)
    {
        var terminated = new byte[path.Length + 1];
        path.CopyTo(terminated, 0);
        return terminated;
    }

    private static IOException Error(int errno)
    {
        string message = Marshal.GetPInvokeErrorMessage(errno);
        return errno is ENoEnt or ENotDir ? new FileNotFoundException(message) : new IOException(message);
    }

#pragma warning disable SA1300, IDE1006 // libc's names
    [LibraryImport("libc", SetLastError = true)]
    private static partial int open(byte[] path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint readlink(byte[] path, byte[] buffer, nint size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint opendir(byte[] path);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint readdir(nint dir);

    [LibraryImport("libc")]
    private static partial int closedir(nint dir);
#pragma warning restore SA1300, IDE1006
}
