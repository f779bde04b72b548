using System.Text;
using System.Text.Json;
using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

/// <summary>Bad input gets a clear result and the scan of everything else completes.</summary>
public sealed class InputRobustnessTests
{
    private static JsonElement Summary(ProcessResult r) => JsonDocument.Parse(r.StdOut).RootElement.GetProperty("summary");

    private static string[] Paths(ProcessResult r) =>
        JsonDocument.Parse(r.StdOut).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToArray();

    [Fact]
    public void AWorkTreeFullOfTroubleStillFindsTheSecretsItCanRead()
    {
        using var dir = new TempDirectory();
        dir.Write("empty.txt", "");
        dir.Write("binary.bin", [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01, .. Encoding.ASCII.GetBytes(Cli.GitHubToken(1))]);
        byte[] invalidUtf8 = [0xC3, 0x28, 0xFF, (byte)'\n', .. Encoding.ASCII.GetBytes("TOKEN=" + Cli.GitHubToken(2))];
        dir.Write("invalid-utf8.txt", invalidUtf8);
        dir.Write("utf16.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("line\nTOKEN=" + Cli.GitHubToken(3))]);
        dir.Write("utf16be.txt", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("TOKEN=" + Cli.GitHubToken(4))]);
        dir.Write("ok.env", "TOKEN=" + Cli.GitHubToken(5));
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "loop"), dir.Path);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "outside"), "/etc");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "passwd-link"), "/etc/passwd");
        ProcessRunner.Run("mkfifo", [Path.Combine(dir.Path, "pipe")], dir.Path);

        var r = Cli.Run(dir.Path, "scan", ".", "--format", "json");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal(["invalid-utf8.txt", "ok.env", "utf16.txt", "utf16be.txt"], Paths(r));
        var s = Summary(r);
        Assert.Equal(1, s.GetProperty("skippedBinary").GetInt32());
        Assert.Equal(3, s.GetProperty("skippedSymlinks").GetInt32());
        Assert.Equal(6, s.GetProperty("filesScanned").GetInt32());
    }

    [Fact]
    public void InvalidUtf8KeepsLineAndColumnOfTheSecret()
    {
        using var dir = new TempDirectory();
        dir.Write("x.txt", [0xC3, 0x28, (byte)'\n', .. Encoding.ASCII.GetBytes("ab " + Cli.GitHubToken(2))]);
        using var doc = JsonDocument.Parse(Cli.Run(dir.Path, "scan", ".", "--format", "json").StdOut);
        var f = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal((2, 4), (f.GetProperty("line").GetInt32(), f.GetProperty("column").GetInt32()));
    }

    [Fact]
    public void HugeSingleLineFileIsSkippedByDefaultAndScannedWhenAllowed()
    {
        using var dir = new TempDirectory();
        var sb = new StringBuilder(50 * 1024 * 1024 + 64);
        sb.Append('a', 50 * 1024 * 1024).Append(' ').Append(Cli.GitHubToken(8));
        dir.Write("huge.min.js", sb.ToString());
        dir.Write("small.env", "TOKEN=" + Cli.GitHubToken(9));

        var skipped = Cli.Run(dir.Path, "scan", ".", "--format", "json");
        Assert.Equal(["small.env"], Paths(skipped));
        Assert.Equal(1, Summary(skipped).GetProperty("skippedTooLarge").GetInt32());

        var scanned = Cli.Run(dir.Path, "scan", ".", "--format", "json", "--max-file-size", "64MB");
        Assert.Equal(["huge.min.js", "small.env"], Paths(scanned));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void UnreadableFileIsReportedAndTheRestIsScanned()
    {
        using var dir = new TempDirectory();
        dir.Write("secret.env", "TOKEN=" + Cli.GitHubToken(10));
        string locked = dir.Write("locked.env", "TOKEN=" + Cli.GitHubToken(11));
        File.SetUnixFileMode(locked, UnixFileMode.None);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);

        var r = Cli.RunUnprivileged(dir.Path, "scan", ".", "--format", "json");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal(["secret.env"], Paths(r));
        Assert.Equal(1, Summary(r).GetProperty("unreadable").GetInt32());
        Assert.Contains("locked.env", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    // Linux names may hold any byte; .NET cannot open them by a (UTF-16) string. Made with printf's
    // octal escapes, since a .NET string cannot name them either.
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void FilesWhoseNamesAreNotUtf8AreScannedInAWorkTreeAndOutside()
    {
        using var repo = new GitRepository();
        repo.Write("ok.env", "TOKEN=" + Cli.GitHubToken(12));
        repo.Write("636166E92E656E76", "TOKEN=" + Cli.GitHubToken(17)); // the hex of the next name's bytes
        Shell(repo.Path, "printf 'TOKEN=%s\\n' \"$1\" > \"$(printf 'caf\\351.env')\"", Cli.GitHubToken(13));
        repo.Commit("init");
        Shell(repo.Path, "d=\"$(printf 'r\\351p')\"; mkdir -p \"$d/sub\" && printf 'TOKEN=%s\\n' \"$1\" > \"$d/sub/new.env\" "
            + "&& mkfifo \"$d/$(printf 'f\\357fo')\" && ln -s /etc/passwd \"$d/$(printf 'l\\357nk')\"", Cli.GitHubToken(14));

        string[] expected = ["636166E92E656E76", "caf\uFFFD.env", "ok.env", "r\uFFFDp/sub/new.env"];
        string[][] modes = [[], ["--no-git"]];
        foreach (string[] mode in modes)
        {
            var r = Cli.Run(repo.Path, ["scan", ".", "--format", "json", .. mode]);
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Equal(expected, Paths(r));
            Assert.Equal(0, Summary(r).GetProperty("unreadable").GetInt32());
            Assert.Equal(1, Summary(r).GetProperty("skippedSymlinks").GetInt32());
        }

        // What the commit recorded, by the same name.
        var history = Cli.Run(repo.Path, "history", ".", "--format", "json");
        Assert.Equal(["636166E92E656E76", "caf\uFFFD.env", "ok.env"], Paths(history));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void AFolderWhoseNameIsNotUtf8AndThatCannotBeListedIsReported()
    {
        using var dir = new TempDirectory();
        dir.Write("ok.env", "TOKEN=" + Cli.GitHubToken(15));
        Shell(dir.Path, "d=\"$(printf 'l\\351cked')\"; mkdir \"$d\" && printf 'TOKEN=%s\\n' \"$1\" > \"$d/x.env\" && chmod 000 \"$d\"", Cli.GitHubToken(16));
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);

        var r = Cli.RunUnprivileged(dir.Path, "scan", ".", "--format", "json");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal(["ok.env"], Paths(r));
        Assert.Equal(1, Summary(r).GetProperty("unreadable").GetInt32());
        Assert.Contains("l\uFFFDcked: cannot list folder: Permission denied", r.StdErr);
    }

    // A name is the scanned repository's to choose: on a terminal it must not split a report's
    // lines, send escape sequences or reverse what is read. JSON keeps it exact.
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void ControlCharactersInNamesAreEscapedInTheTextReport()
    {
        using var dir = new TempDirectory();
        string[] names = ["new\nline.env", "esc\u001b[2Khidden.env", "gpj.\u202eexe.env"];
        for (int i = 0; i < names.Length; i++)
        {
            dir.Write(names[i], "TOKEN=" + Cli.GitHubToken(20 + i));
        }

        var text = Cli.Run(dir.Path, "scan", ".", "--no-git");
        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.DoesNotContain('\u001b', text.StdOut);
        Assert.DoesNotContain('\u202e', text.StdOut);
        string[] lines = text.StdOut.Split('\n');
        Assert.Contains("new\\nline.env", lines);
        Assert.Contains("esc\\u001b[2Khidden.env", lines);
        Assert.Contains("gpj.\\u202eexe.env", lines);

        Assert.Equal(names.Order(StringComparer.Ordinal), Paths(Cli.Run(dir.Path, "scan", ".", "--no-git", "--format", "json")));
    }

    private static void Shell(string directory, string script, string argument)
    {
        var r = ProcessRunner.Run("sh", ["-c", script, "sh", argument], directory);
        Assert.True(r.ExitCode == 0, r.ToString());
    }
}
