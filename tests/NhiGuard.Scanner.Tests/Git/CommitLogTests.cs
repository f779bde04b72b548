using System.Text;
using NhiGuard.Detection;
using NhiGuard.Scanner.Git;

namespace NhiGuard.Scanner.Tests.Git;

public sealed class CommitLogTests
{
    private const string A = "1111111111111111111111111111111111111111";
    private const string B = "2222222222222222222222222222222222222222";
    private const string C = "3333333333333333333333333333333333333333";
    private const string Null = "0000000000000000000000000000000000000000";

    [Fact]
    public void EntriesNameTheNewBlobAndTheBlobsTheParentsHad()
    {
        FileChange modified = CommitLog.ParseEntry($":100644 100644 {A} {B} M", "a.txt")!;
        Assert.Equal(("a.txt", B), (modified.Path, modified.NewBlob));
        Assert.Equal([A], modified.OldBlobs);
        Assert.Empty(CommitLog.ParseEntry($":000000 100644 {Null} {B} A", "n.txt")!.OldBlobs);
        Assert.Null(CommitLog.ParseEntry($":100644 000000 {A} {Null} D", "d.txt")!.NewBlob);
        FileChange merge = CommitLog.ParseEntry($"::100644 100755 100644 {A} {B} {C} MM", "m.txt")!;
        Assert.Equal(C, merge.NewBlob);
        Assert.Equal([A, B], merge.OldBlobs);
        Assert.Equal(B, CommitLog.ParseEntry($":100664 100644 {A} {B} M", "old-mode.txt")!.NewBlob);
    }

    [Fact]
    public void SubmodulesAndSymlinksBringNoBlobToScan()
    {
        Assert.Null(CommitLog.ParseEntry($":000000 160000 {Null} {B} A", "vendor/lib"));
        Assert.Null(CommitLog.ParseEntry($":000000 120000 {Null} {B} A", "link"));
        Assert.Null(CommitLog.ParseEntry(":garbage", "x"));
    }

    [Fact]
    public void ALogStreamIsReadCommitByCommit()
    {
        string log =
            $"\u0001{C}\0{A} {B}\0Dev\0dev@example.test\0" + "2024-05-01T10:00:00+02:00\0\0" + $"::100644 100644 100644 {A} {B} {C} MM\0m.txt\0"
            + $"\u0001{B}\0\0D\u00e9v\0\0" + "2024-04-01T10:00:00+00:00\0" + $"\n:000000 100644 {Null} {B} A\0caf\u00e9/n.txt\0";
        var reader = new CommitLog(new MemoryStream(Encoding.UTF8.GetBytes(log)));

        CommitRecord merge = reader.Next()!;
        Assert.Equal(C, merge.Id);
        Assert.Equal([A, B], merge.Parents);
        Assert.Equal("dev@example.test", merge.Email);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 0, 0, TimeSpan.Zero), merge.Date);
        Assert.Equal("m.txt", Assert.Single(merge.Changes).Path);

        CommitRecord root = reader.Next()!;
        Assert.Empty(root.Parents);
        Assert.Equal("D\u00e9v", root.Author);
        Assert.Equal("caf\u00e9/n.txt", Assert.Single(root.Changes).Path);
        Assert.Null(reader.Next());
    }

    [Fact]
    public void TokensLongerThanTheBufferAreReadWhole()
    {
        string path = new('p', 200_000);
        var reader = new NulTokenReader(new MemoryStream(Encoding.UTF8.GetBytes("a\0" + path + "\0tail")));
        Assert.Equal("a", reader.ReadString());
        Assert.Equal(path, reader.ReadString());
        Assert.Equal("tail", reader.ReadString());
        Assert.Null(reader.ReadString());
    }

    [Fact]
    public void PathsWithTheSameReadersAndRulesShareAProfile()
    {
        var profiles = new PathProfiles(new Detector(BuiltInRules.All, new DetectorOptions { Allow = new RuleAllowlist { Paths = ["vendor/**"] } }));
        Assert.Equal(profiles.Of("src/A.cs"), profiles.Of("lib/B.cs"));
        Assert.NotEqual(profiles.Of("src/A.cs"), profiles.Of("appsettings.json"));
        Assert.NotEqual(profiles.Of("src/A.cs"), profiles.Of("certs/client.p12"));
        Assert.Equal(PathProfiles.Excluded, profiles.Of("vendor/x.cs"));
    }
}
