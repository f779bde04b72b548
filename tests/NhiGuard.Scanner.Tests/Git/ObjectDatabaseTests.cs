using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using NhiGuard.Scanner.Git;
using NhiGuard.Scanner.Rules;
using NhiGuard.TestSupport;

namespace NhiGuard.Scanner.Tests.Git;

/// <summary>
/// The in-process object reader against git's own answers: every object of real repositories
/// (packed with offset and reference deltas, loose, in several packs, in alternates) read back
/// byte for byte, and damaged object files answered null, never with other bytes.
/// </summary>
public sealed class ObjectDatabaseTests(ObjectDatabaseTests.Fixture fixture) : IClassFixture<ObjectDatabaseTests.Fixture>
{
    private const long Large = 64L << 20;

    // ---- 1. Long offset-delta chains -------------------------------------------------------

    [Fact]
    public void AfterAnAggressiveRepackEveryObjectReadsAsGitHasIt()
    {
        IReadOnlyList<PackEntry> entries = fixture.PackedEntries;
        Assert.True(entries.Max(e => e.Depth) >= 30, $"deepest chain {entries.Max(e => e.Depth)}");
        Assert.Contains(entries, e => e.PackType == OfsDelta);
        Assert.DoesNotContain(entries, e => e.PackType == RefDelta);
        Assert.Contains(entries, e => e.Type == "blob" && e.Depth >= 30);

        using (ObjectDatabase db = OpenDatabase(fixture.Packed, Large))
        {
            Assert.Equal(1, db.PackCount);
            AssertReadsAll(db, fixture.Objects, reverse: false);
            AssertReadsAll(db, fixture.Objects, reverse: true);
        }

        // A cache of 4 KB holds next to nothing: every chain is inflated again, to the same bytes.
        using (ObjectDatabase db = OpenDatabase(fixture.Packed, 4096))
        {
            AssertReadsAll(db, fixture.Objects, reverse: true);
            AssertReadsAll(db, fixture.Objects, reverse: false);
        }
    }

    [Fact]
    public void TheFixtureHasWhatTheTestsNeed()
    {
        // Guards the other tests against a history that lost its binary, empty or large blobs.
        var blobs = fixture.Objects.Values.Where(o => o.Type == "blob").ToList();
        Assert.Contains(blobs, b => b.Content.Length == 0);
        Assert.Contains(blobs, b => b.Content.Length > 100_000);
        Assert.Contains(blobs, b => b.Content.Contains((byte)0));
        Assert.Contains(fixture.Objects.Values, o => o.Type == "tag");
        Assert.Contains(fixture.Objects.Values, o => o.Type == "tree");
        Assert.True(fixture.Objects.Values.Count(o => o.Type == "commit") >= 60);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(256 * 1024)]
    public void ObjectsReadFromManyThreadsAtOnceAreGitsBytes(long cacheBytes)
    {
        // Readers share the delta-base cache: a small one is evicted under them all the time.
        using ObjectDatabase db = OpenDatabase(fixture.Packed, cacheBytes);
        var ids = fixture.Objects.Keys.Order(StringComparer.Ordinal).ToArray();
        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, ids.Length * 2, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            string id = ids[(i * 7919) % ids.Length];
            if (!IsRight(db.TryRead(id, long.MaxValue), fixture.Objects[id]))
            {
                wrong.Add(id);
            }
        });
        Assert.Empty(wrong);
    }

    [Fact]
    public void ReadsRacingADisposeAreNullOrRightAndNeverThrow()
    {
        ObjectDatabase db = OpenDatabase(fixture.Packed, 64 * 1024);
        var ids = fixture.Objects.Keys.Order(StringComparer.Ordinal).ToArray();
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        int reads = 0, nulls = 0;
        using var go = new ManualResetEventSlim();
        void Reader(int start, bool disposes)
        {
            go.Wait();
            for (int i = 0; i < ids.Length; i++)
            {
                if (disposes && i == ids.Length / 4)
                {
                    db.Dispose();
                }

                string id = ids[(start + (i * 31)) % ids.Length];
                try
                {
                    Blob? blob = db.TryRead(id, long.MaxValue);
                    Interlocked.Increment(ref reads);
                    if (blob is null)
                    {
                        Interlocked.Increment(ref nulls);
                    }
                    else if (!IsRight(blob, fixture.Objects[id]))
                    {
                        problems.Add($"{id}: wrong answer");
                    }
                }
                catch (Exception e)
                {
                    problems.Add($"{id}: {e.GetType().Name} {e.Message}");
                }
            }
        }

        // Threads of their own, started together; one of them disposes a quarter of the way in.
        var threads = new List<Thread> { new(() => Reader(0, disposes: true)), new(() => Reader(101, false)), new(() => Reader(202, false)) };
        threads.ForEach(t => t.Start());
        go.Set();
        threads.ForEach(t => t.Join());

        Assert.Empty(problems);
        Assert.Equal(3 * ids.Length, reads);
        Assert.InRange(nulls, ids.Length - (ids.Length / 4), (3 * ids.Length) - (ids.Length / 4));
        Assert.Null(db.TryRead(ids[0], long.MaxValue));
    }

    // ---- 2. Reference deltas ---------------------------------------------------------------

    [Fact]
    public void RefDeltasReadAsGitHasThem()
    {
        using var copy = fixture.Copy();
        Git(copy.Path, "-c", "repack.useDeltaBaseOffset=false", "repack", "-adf", "--depth=8", "--window=50");
        List<PackEntry> entries = Entries(copy.Path);
        Assert.Contains(entries, e => e.PackType == RefDelta && e.Type == "blob" && e.Depth >= 5);
        Assert.DoesNotContain(entries, e => e.PackType == OfsDelta);

        // Every blob read; a tree may be left to git (see ARefDeltaOfATreeIsNotABlobWithItsSize).
        using ObjectDatabase db = OpenDatabase(copy.Path, Large);
        AssertReadsAll(db, fixture.Objects, reverse: true, nonBlobsMayBeNull: true);
        using ObjectDatabase small = OpenDatabase(copy.Path, 4096);
        AssertReadsAll(small, fixture.Objects, reverse: false, nonBlobsMayBeNull: true);
    }

    [Fact]
    public void LongRefDeltaChainsAreReadNotLeftToGit()
    {
        using var copy = fixture.Copy();
        Git(copy.Path, "-c", "repack.useDeltaBaseOffset=false", "repack", "-adf", "--depth=50", "--window=50");
        Assert.Contains(Entries(copy.Path), e => e.PackType == RefDelta && e.Depth > 9);

        // With a cold cache, anything more than 8 reference deltas above its whole base is answered
        // null: each base is looked up by id, one recursion level each, and the 9th throws.
        using ObjectDatabase db = OpenDatabase(copy.Path, Large);
        AssertReadsAll(db, fixture.Objects, reverse: true, nonBlobsMayBeNull: true);
    }

    [Fact]
    public void DeepRefDeltaChainsNeverGiveWrongBytes()
    {
        // Whatever the depth limit, what is answered is git's; and reading from the base upwards
        // (each base cached before the delta above it) reads everything.
        using var copy = fixture.Copy();
        Git(copy.Path, "-c", "repack.useDeltaBaseOffset=false", "repack", "-adf", "--depth=50", "--window=50");
        List<PackEntry> entries = Entries(copy.Path);
        Assert.Contains(entries, e => e.PackType == RefDelta && e.Depth > 9);

        using (ObjectDatabase cold = OpenDatabase(copy.Path, Large))
        {
            foreach (PackEntry entry in entries.OrderByDescending(e => e.Depth))
            {
                AssertNullOrRight(cold.TryRead(entry.Id, long.MaxValue), fixture.Objects[entry.Id]);
            }
        }

        // Trees never get there: a whole tree is not inflated, so is never cached as a base.
        using ObjectDatabase warm = OpenDatabase(copy.Path, Large);
        foreach (PackEntry entry in entries.Where(e => e.Type == "blob").OrderBy(e => e.Depth))
        {
            AssertRead(warm, entry.Id, fixture.Objects[entry.Id]);
        }
    }

    [Fact]
    public void AnIndexWithLargeOffsetsReadsAsGitHasIt()
    {
        // index-pack can write every offset past 4 KB to the 64-bit table, as packs over 2 GB need.
        using var copy = fixture.CopyObjects(fixture.Packed);
        string pack = PackFileIn(copy.Path);
        string index = Path.ChangeExtension(pack, ".idx");
        File.SetAttributes(index, FileAttributes.Normal);
        File.Delete(index);
        Git(copy.Path, "index-pack", "--index-version=2,4096", "-o", index, pack);
        byte[] bytes = File.ReadAllBytes(index);
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8 + (255 * 4)));
        int offsets = 8 + (256 * 4) + (count * 24);
        int large = Enumerable.Range(0, count).Count(i => (bytes[offsets + (i * 4)] & 0x80) != 0);
        Assert.True(large > count / 2, $"{large} of {count} offsets in the 64-bit table");

        using ObjectDatabase db = OpenObjects(copy.Path, Large);
        Assert.Equal(1, db.PackCount);
        AssertReadsAll(db, fixture.Objects, reverse: false);
    }

    [Fact]
    public void AVersion1IndexIsLeftToGit()
    {
        using var copy = fixture.CopyObjects(fixture.Packed);
        string pack = PackFileIn(copy.Path);
        string index = Path.ChangeExtension(pack, ".idx");
        File.SetAttributes(index, FileAttributes.Normal);
        File.Delete(index);
        Git(copy.Path, "index-pack", "--index-version=1", "-o", index, pack);
        Assert.NotEqual(0xff, File.ReadAllBytes(index)[0]);

        using ObjectDatabase db = OpenObjects(copy.Path, Large);
        Assert.Equal(0, db.PackCount);
        Assert.All(fixture.Objects.Keys, id => Assert.Null(db.TryRead(id, long.MaxValue)));
    }

    [Fact]
    public void APartialClonesMissingBlobsAreNullAndTheRestRead()
    {
        using var source = fixture.Copy(fixture.Packed);
        Git(source.Path, "config", "uploadpack.allowFilter", "true");
        using var clone = new TempDirectory();
        Git(clone.Path, "clone", "-q", "--no-local", "--no-checkout", "--filter=blob:limit=2k", "file://" + source.Path, clone.Path);
        Dictionary<string, GitObject> present = AllObjects(clone.Path);
        var missing = fixture.Objects.Keys.Where(id => !present.ContainsKey(id)).ToList();
        Assert.NotEmpty(missing);
        Assert.All(missing, id => Assert.Equal("blob", fixture.Objects[id].Type));
        Assert.Contains(present.Values, o => o.Type == "blob");

        using ObjectDatabase db = OpenDatabase(clone.Path, Large);
        AssertReadsAll(db, present, reverse: false);
        Assert.All(missing, id => Assert.Null(db.TryRead(id, long.MaxValue)));
    }

    // ---- 3. Loose objects -------------------------------------------------------------------

    [Fact]
    public void LooseObjectsReadAsGitHasThem()
    {
        Assert.Empty(Directory.GetFiles(Path.Combine(ObjectsOf(fixture.Loose), "pack"), "*.pack"));
        Assert.Equal(fixture.Objects.Count, LooseCount(fixture.Loose));

        using ObjectDatabase db = OpenDatabase(fixture.Loose, Large);
        Assert.Equal(0, db.PackCount);
        AssertReadsAll(db, fixture.Objects, reverse: false);
    }

    [Fact]
    public void PackedAndLooseObjectsTogetherReadAsGitHasThem()
    {
        using var copy = fixture.Copy(fixture.Packed);
        Import(copy.Path, MoreHistory(seed: 11, commits: 12), unpackLimit: 100_000);
        Assert.True(LooseCount(copy.Path) > 30);
        Dictionary<string, GitObject> all = AllObjects(copy.Path);
        Assert.True(all.Count > fixture.Objects.Count + 30);

        using ObjectDatabase db = OpenDatabase(copy.Path, Large);
        Assert.Equal(1, db.PackCount);
        AssertReadsAll(db, all, reverse: false);
    }

    // ---- 4. Several packs -------------------------------------------------------------------

    [Fact]
    public void ObjectsSpreadOverSeveralPacksReadAsGitHasThem()
    {
        using var copy = fixture.Copy();
        Git(copy.Path, "repack", "-adf");
        Import(copy.Path, MoreHistory(seed: 21, commits: 8), unpackLimit: 100_000);
        Git(copy.Path, "repack", "-d");
        Import(copy.Path, MoreHistory(seed: 22, commits: 8), unpackLimit: 100_000);
        Git(copy.Path, "repack", "-d");
        Import(copy.Path, MoreHistory(seed: 23, commits: 5), unpackLimit: 100_000);
        Git(copy.Path, "multi-pack-index", "write"); // read or not, the packs' own indexes stay
        Dictionary<string, GitObject> all = AllObjects(copy.Path);
        int packs = Directory.GetFiles(Path.Combine(ObjectsOf(copy.Path), "pack"), "*.pack").Length;
        Assert.Equal(3, packs);
        Assert.True(LooseCount(copy.Path) > 0);

        using ObjectDatabase db = OpenDatabase(copy.Path, Large);
        Assert.Equal(3, db.PackCount);
        AssertReadsAll(db, all, reverse: true);
    }

    // ---- 5. Alternates ----------------------------------------------------------------------

    [Fact]
    public void ObjectsOfAnAlternateAreRead()
    {
        using var copy = fixture.Copy(fixture.Packed);
        using var clones = new TempDirectory();
        string shared = Path.Combine(clones.Path, "shared");
        Git(clones.Path, "clone", "-q", "--shared", copy.Path, shared);
        Import(shared, MoreHistory(seed: 31, commits: 6), unpackLimit: 100_000);

        // The clone has its own objects (loose) and none of the source's.
        Assert.Empty(Directory.GetFiles(Path.Combine(ObjectsOf(shared), "pack"), "*.pack"));
        Dictionary<string, GitObject> all = AllObjects(shared);
        Assert.True(all.Count > fixture.Objects.Count);
        Assert.All(fixture.Objects.Keys, id => Assert.False(File.Exists(LoosePath(shared, id))));

        using (ObjectDatabase db = OpenDatabase(shared, Large))
        {
            Assert.Equal(1, db.PackCount);
            AssertReadsAll(db, all, reverse: false);
        }

        // A clone of the clone, its alternates written as a path relative to its objects folder:
        // the chain leads through the first clone to the source.
        string second = Path.Combine(clones.Path, "second");
        Git(clones.Path, "clone", "-q", "--shared", shared, second);
        string alternates = Path.Combine(ObjectsOf(second), "info", "alternates");
        File.WriteAllText(alternates, "# shared\n" + Path.GetRelativePath(ObjectsOf(second), ObjectsOf(shared)) + "\n");
        Assert.False(Path.IsPathRooted(File.ReadAllLines(alternates)[1]));
        Dictionary<string, GitObject> viaChain = AllObjects(second);
        Assert.Equal(all.Count, viaChain.Count);

        using ObjectDatabase chained = OpenDatabase(second, Large);
        AssertReadsAll(chained, viaChain, reverse: true);
    }

    [Fact]
    public void AlternatesThatLeadInACircleAreEachReadOnce()
    {
        // a -> b -> a, and an alternate that does not exist: git reads each store once; so must this.
        using var a = fixture.Copy(fixture.Packed);
        using var b = new TempDirectory();
        Git(b.Path, "clone", "-q", "--shared", a.Path, b.Path);
        Import(b.Path, MoreHistory(seed: 51, commits: 3), unpackLimit: 100_000);
        Directory.CreateDirectory(Path.Combine(ObjectsOf(a.Path), "info"));
        File.WriteAllText(Path.Combine(ObjectsOf(a.Path), "info", "alternates"), ObjectsOf(b.Path) + "\n" + Path.Combine(b.Path, "missing-objects") + "\n");
        Dictionary<string, GitObject> all = AllObjects(b.Path);
        Assert.True(all.Count > fixture.Objects.Count);

        foreach (string repository in new[] { a.Path, b.Path })
        {
            using ObjectDatabase db = OpenDatabase(repository, Large);
            Assert.Equal(1, db.PackCount);
            AssertReadsAll(db, all, reverse: false);
        }
    }

    // ---- 6. maxSize -------------------------------------------------------------------------

    [Fact]
    public void ABlobOverMaxSizeIsTooLargeWithGitsSize()
    {
        List<PackEntry> blobs = fixture.PackedEntries.Where(e => e.Type == "blob").ToList();
        PackEntry whole = blobs.Where(e => e.Depth == 0).MaxBy(SizeOf)!;
        PackEntry delta = blobs.Where(e => e.Depth > 0).MaxBy(SizeOf)!;
        Assert.True(SizeOf(delta) > 50_000, $"largest delta blob {SizeOf(delta)}");
        Assert.True(SizeOf(whole) > 50_000, $"largest whole blob {SizeOf(whole)}");

        foreach (PackEntry entry in new[] { whole, delta })
        {
            AssertTooLargeThenRead(fixture.Packed, entry.Id, fixture.Objects[entry.Id]);
        }

        // Loose: the size is the loose header's.
        foreach (PackEntry entry in new[] { whole, delta })
        {
            AssertTooLargeThenRead(fixture.Loose, entry.Id, fixture.Objects[entry.Id]);
        }
    }

    [Fact]
    public void TheEmptyBlobIsReadUnderAnyMaxSize()
    {
        string empty = fixture.Objects.Single(p => p.Value.Type == "blob" && p.Value.Content.Length == 0).Key;
        foreach (string repository in new[] { fixture.Packed, fixture.Loose })
        {
            using ObjectDatabase db = OpenDatabase(repository, Large);
            Blob blob = db.TryRead(empty, 0)!;
            Assert.Equal((BlobStatus.Read, 0L), (blob.Status, blob.Size));
            Assert.True(blob.Bytes.IsEmpty);
        }
    }

    [Fact]
    public void ABlobReadOnceIsStillTooLargeUnderASmallerMaxSize()
    {
        PackEntry entry = fixture.PackedEntries.Where(e => e.Type == "blob" && e.Depth == 0).MaxBy(SizeOf)!;
        using ObjectDatabase db = OpenDatabase(fixture.Packed, Large);
        Assert.Equal(BlobStatus.Read, db.TryRead(entry.Id, long.MaxValue)!.Status);

        Blob again = db.TryRead(entry.Id, SizeOf(entry) - 1)!;
        Assert.Equal((BlobStatus.TooLarge, SizeOf(entry)), (again.Status, again.Size));
    }

    [Fact]
    public void ABlobCachedAsADeltaBaseIsStillTooLargeUnderTheSameMaxSize()
    {
        IReadOnlyList<PackEntry> entries = fixture.PackedEntries;
        var byId = entries.ToDictionary(e => e.Id);
        PackEntry child = entries.First(e => e.Type == "blob" && e.Base is { } b && SizeOf(byId[b]) > SizeOf(e) + 100);
        PackEntry parent = byId[child.Base!];
        long maxSize = SizeOf(child) + 50;

        using ObjectDatabase db = OpenDatabase(fixture.Packed, Large);
        AssertRead(db, child.Id, fixture.Objects[child.Id], maxSize);
        Blob answer = db.TryRead(parent.Id, maxSize)!;
        Assert.Equal((BlobStatus.TooLarge, SizeOf(parent)), (answer.Status, answer.Size));
    }

    // ---- 7. Ids ------------------------------------------------------------------------------

    [Fact]
    public void AnIdNotInTheRepositoryOrNotAnIdIsNull()
    {
        foreach (string repository in new[] { fixture.Packed, fixture.Loose })
        {
            AssertIdsNotInTheRepositoryAreNull(repository);
        }
    }

    private void AssertIdsNotInTheRepositoryAreNull(string repository)
    {
        string blob = fixture.Objects.First(p => p.Value.Type == "blob" && p.Value.Content.Length > 0).Key;
        using ObjectDatabase db = OpenDatabase(repository, Large);
        AssertRead(db, blob, fixture.Objects[blob]);

        string absent = "0123456789abcdef0123456789abcdef01234567";
        Assert.DoesNotContain(absent, fixture.Objects.Keys);
        string[] malformed =
        [
            absent, new string('0', 40), new string('f', 40), string.Empty, "HEAD", "HEAD:notes.txt", "main",
            blob[..39], blob + "0", blob[..38] + "zz", blob[..39] + "g", " " + blob[..39], blob[..20] + " " + blob[21..],
            blob + new string('0', 24), "0x" + blob[..38], blob[..39] + "\n",
        ];
        foreach (string id in malformed)
        {
            Assert.Null(db.TryRead(id, long.MaxValue));
        }

        // Still reads after all that.
        AssertRead(db, blob, fixture.Objects[blob]);
    }

    [Fact]
    public void ADisposedDatabaseAnswersNull()
    {
        string blob = fixture.Objects.First(p => p.Value.Type == "blob" && p.Value.Content.Length > 0).Key;
        ObjectDatabase db = OpenDatabase(fixture.Packed, Large);
        AssertRead(db, blob, fixture.Objects[blob]);
        db.Dispose();
        Assert.Null(db.TryRead(blob, long.MaxValue));
        Assert.Equal(0, db.PackCount);
        db.Dispose();
    }

    // ---- 8. Damaged object files -------------------------------------------------------------

    [Fact]
    public void CorruptCompressedDataNeverGivesWrongBytes()
    {
        using var copy = fixture.CopyObjects(fixture.Packed);
        List<PackEntry> entries = fixture.PackedEntries.OrderBy(e => e.Offset).ToList();
        string pack = PackFileIn(copy.Path);
        byte[] bytes = File.ReadAllBytes(pack);

        // Four bytes in the middle of every third blob's compressed data (past its header).
        var damaged = new HashSet<string>();
        foreach (PackEntry entry in entries.Where(e => e.Type == "blob" && e.PackedSize >= 40).Where((_, i) => i % 3 == 0))
        {
            long middle = entry.Offset + (entry.PackedSize / 2);
            for (int i = 0; i < 4; i++)
            {
                bytes[middle + i] ^= 0x5a;
            }

            damaged.Add(entry.Id);
        }

        Assert.True(damaged.Count > 20, $"{damaged.Count} damaged");
        Rewrite(pack, bytes);

        foreach (long cache in new[] { Large, 4096L })
        {
            using ObjectDatabase db = OpenObjects(copy.Path, cache);
            int read = 0;
            foreach ((string id, GitObject expected) in fixture.Objects)
            {
                Blob? blob = db.TryRead(id, long.MaxValue);
                if (damaged.Contains(id))
                {
                    Assert.Null(blob);
                }
                else if (expected.Type == "blob" && blob is not null)
                {
                    AssertSame(expected, blob);
                    read++;
                }
            }

            // Whole blobs that were not touched (and have no damaged base) are still read.
            Assert.True(read > 0);
            foreach (PackEntry entry in entries.Where(e => e.Type == "blob" && e.Depth == 0 && !damaged.Contains(e.Id)))
            {
                AssertRead(db, entry.Id, fixture.Objects[entry.Id]);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void CorruptRangesAcrossEntriesNeverGiveWrongBytes(int seed)
    {
        using var copy = fixture.CopyObjects(fixture.Packed);
        string pack = PackFileIn(copy.Path);
        byte[] bytes = File.ReadAllBytes(pack);
        var random = new Random(seed);

        // Headers, delta offsets and data alike: a few ranges of random damage.
        for (int r = 0; r < 3; r++)
        {
            int start = random.Next(12, bytes.Length - 300);
            int length = random.Next(1, 300);
            for (int i = start; i < start + length; i++)
            {
                bytes[i] ^= (byte)random.Next(1, 256);
            }
        }

        Rewrite(pack, bytes);
        AssertNeverWrong(copy.Path, fixture.Objects);
        Assert.NotEqual(File.ReadAllBytes(PackFileIn(ObjectsOf(fixture.Packed))), bytes);
    }

    [Fact]
    public void DamagedEntryHeadersNeverGiveWrongBytes()
    {
        // Each entry's first bytes (type, size, delta base) overwritten, one entry per copy of the pack.
        using var copy = fixture.CopyObjects(fixture.Packed);
        string pack = PackFileIn(copy.Path);
        byte[] original = File.ReadAllBytes(pack);
        List<PackEntry> targets = fixture.PackedEntries.Where(e => e.Type == "blob").Where((_, i) => i % 20 == 0).ToList();
        byte[][] patterns = [[0xff, 0xff, 0xff, 0xff], [0x00, 0x00], [0x30], [0x8f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], [0x60, 0x01], [0xe0, 0x80]];
        foreach (PackEntry entry in targets)
        {
            byte[] bytes = (byte[])original.Clone();
            byte[] pattern = patterns[(int)(entry.Offset % patterns.Length)];
            pattern.CopyTo(bytes, entry.Offset);
            Rewrite(pack, bytes);
            using ObjectDatabase db = OpenObjects(copy.Path, Large);
            foreach ((string id, GitObject expected) in fixture.Objects.Where(p => p.Value.Type == "blob"))
            {
                AssertNullOrRight(Try(db, id), expected);
            }
        }

        Assert.NotEmpty(targets);
    }

    [Fact]
    public void ATruncatedPackIsNotReadAtAll()
    {
        // Its trailing checksum is gone, so it no longer matches its index: as git does, the
        // pack is not opened, and every object in it is left to git (null).
        using var copy = fixture.CopyObjects(fixture.Packed);
        string pack = PackFileIn(copy.Path);
        byte[] bytes = File.ReadAllBytes(pack);
        Rewrite(pack, bytes[..(bytes.Length * 3 / 5)]);

        using ObjectDatabase? db = ObjectDatabase.Open(copy.Path, "sha1", hasReplaceRefs: false, Large);
        Assert.NotNull(db);
        Assert.Equal(0, db.PackCount);
        Assert.All(fixture.Objects.Keys, id => Assert.Null(Try(db, id)));
    }

    [Fact]
    public void AGarbageIndexIsIgnoredAndItsObjectsAreNull()
    {
        using var copy = fixture.CopyObjects(fixture.Packed);
        string index = Path.ChangeExtension(PackFileIn(copy.Path), ".idx");
        byte[] original = File.ReadAllBytes(index);
        var random = new Random(5);
        int count = BinaryPrimitives.ReadInt32BigEndian(original.AsSpan(8 + (255 * 4)));
        int offsets = 8 + (256 * 4) + (count * 24);
        var variants = new List<byte[]>
        {
            RandomBytes(random, original.Length),
            RandomBytes(random, 100),
            Array.Empty<byte>(),
            original[..(original.Length / 2)],
            original[..1100],
        };

        // The right header and fan-out, then garbage.
        byte[] headed = RandomBytes(random, original.Length);
        original.AsSpan(0, 8 + (256 * 4)).CopyTo(headed);
        variants.Add(headed);

        // Names kept, garbage offsets: into the pack's header or past its end. (Not at random inside
        // it: an offset that happens to start another entry reads that entry, for git too, which
        // does not check an index's offsets either.)
        long packLength = new FileInfo(PackFileIn(copy.Path)).Length;
        byte[] offsetsGarbage = (byte[])original.Clone();
        for (int i = offsets; i < offsets + (count * 4); i += 4)
        {
            long offset = random.Next(2) == 0 ? random.Next(0, 12) : packLength + random.Next(0, 1 << 20);
            BinaryPrimitives.WriteUInt32BigEndian(offsetsGarbage.AsSpan(i), (uint)offset);
        }

        variants.Add(offsetsGarbage);

        // A fan-out that is not ascending.
        byte[] fanout = (byte[])original.Clone();
        for (int i = 8; i < 8 + (255 * 4); i += 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(fanout.AsSpan(i), (uint)random.Next(0, count));
        }

        variants.Add(fanout);

        foreach (byte[] variant in variants)
        {
            Rewrite(index, variant);
            using ObjectDatabase? db = ObjectDatabase.Open(copy.Path, "sha1", hasReplaceRefs: false, Large);
            if (db is null)
            {
                continue;
            }

            foreach ((string id, GitObject expected) in fixture.Objects)
            {
                AssertNullOrRight(Try(db, id), expected);
            }
        }

        // The first variant cannot be a version 2 index: the pack is left out.
        Rewrite(index, variants[0]);
        using ObjectDatabase garbage = OpenObjects(copy.Path, Large);
        Assert.Equal(0, garbage.PackCount);
        Assert.All(fixture.Objects.Keys, id => Assert.Null(garbage.TryRead(id, long.MaxValue)));
    }

    [Fact]
    public void ANegativeLargeOffsetInTheIndexIsNullNotAnException()
    {
        using var copy = fixture.CopyObjects(fixture.Packed);
        string index = Path.ChangeExtension(PackFileIn(copy.Path), ".idx");
        byte[] bytes = File.ReadAllBytes(index);
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8 + (255 * 4)));
        int offsets = 8 + (256 * 4) + (count * 24);

        // Entry 0 points into the 64-bit offset table, whose first slot (here the trailer's
        // first 8 bytes: the index keeps no large offsets of its own) says 0xffffffffffffffff.
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offsets), 0x80000000u);
        bytes.AsSpan(offsets + (count * 4), 8).Fill(0xff);
        Rewrite(index, bytes);
        string first = Convert.ToHexStringLower(bytes.AsSpan(8 + (256 * 4), 20));

        using ObjectDatabase db = OpenObjects(copy.Path, Large);
        Assert.Null(db.TryRead(first, long.MaxValue));
    }

    [Fact]
    public void ADamagedLooseObjectIsNull()
    {
        using var copy = fixture.CopyObjects(fixture.Loose);
        var blobs = fixture.Objects.Where(p => p.Value.Type == "blob" && p.Value.Content.Length > 100).Take(12).ToList();
        for (int i = 0; i < blobs.Count; i++)
        {
            string path = LooseIn(copy.Path, blobs[i].Key);
            byte[] bytes = File.ReadAllBytes(path);
            switch (i % 4)
            {
                case 0: bytes[bytes.Length / 2] ^= 0x40; break;
                case 1: bytes = bytes[..(bytes.Length / 2)]; break;
                case 2: bytes = Deflate(Encoding.ASCII.GetBytes($"blob {blobs[i].Value.Content.Length + 1}\0").Concat(blobs[i].Value.Content).ToArray()); break;
                default: bytes = Deflate(Encoding.ASCII.GetBytes($"blob {blobs[i].Value.Content.Length - 1}\0").Concat(blobs[i].Value.Content).ToArray()); break;
            }

            Rewrite(path, bytes);
        }

        // And one whose header is not a type git knows, one with no NUL, one empty.
        var others = fixture.Objects.Where(p => p.Value.Type == "blob" && p.Value.Content.Length > 100).Skip(12).Take(3).ToList();
        Rewrite(LooseIn(copy.Path, others[0].Key), Deflate(Encoding.ASCII.GetBytes("blub 3\0abc")));
        Rewrite(LooseIn(copy.Path, others[1].Key), Deflate(Encoding.ASCII.GetBytes(new string('b', 200))));
        Rewrite(LooseIn(copy.Path, others[2].Key), []);

        using ObjectDatabase db = OpenObjects(copy.Path, Large);
        foreach (var blob in blobs.Concat(others))
        {
            Assert.Null(db.TryRead(blob.Key, long.MaxValue));
        }

        AssertNeverWrong(copy.Path, fixture.Objects);
    }

    [Fact]
    public void AnIndexPairedWithAnotherPackGivesNoBytes()
    {
        // Two packs of one blob each; the first's index left beside the second's data. git refuses
        // the pair ("packfile ... does not match index"); this must not answer the other blob's bytes.
        using var repo = new GitRepository();
        byte[] x = Encoding.ASCII.GetBytes("the blob the index names\n");
        byte[] y = Encoding.ASCII.GetBytes("another blob, in another pack\n");
        string xId = Encoding.ASCII.GetString(Run(repo.Path, x, "hash-object", "-w", "--stdin")).Trim();
        string yId = Encoding.ASCII.GetString(Run(repo.Path, y, "hash-object", "-w", "--stdin")).Trim();
        string packs = Path.Combine(ObjectsOf(repo.Path), "pack");
        string xName = Encoding.ASCII.GetString(Run(repo.Path, Encoding.ASCII.GetBytes(xId + "\n"), "pack-objects", "-q", Path.Combine(packs, "pack"))).Trim();
        using var other = new TempDirectory();
        string yName = Encoding.ASCII.GetString(Run(repo.Path, Encoding.ASCII.GetBytes(yId + "\n"), "pack-objects", "-q", Path.Combine(other.Path, "pack"))).Trim();
        Git(repo.Path, "prune-packed");
        Assert.False(File.Exists(LoosePath(repo.Path, xId)));
        Rewrite(Path.Combine(packs, $"pack-{xName}.pack"), File.ReadAllBytes(Path.Combine(other.Path, $"pack-{yName}.pack")));
        Assert.NotEqual(0, ProcessRunner.Run("git", ["cat-file", "blob", xId], repo.Path).ExitCode);

        using ObjectDatabase db = OpenDatabase(repo.Path, Large);
        Blob? blob = db.TryRead(xId, long.MaxValue);
        Assert.True(blob is null || blob.Bytes.SequenceEqual(x), $"read {blob?.Status} '{(blob is null ? string.Empty : Encoding.ASCII.GetString(blob.Bytes))}' for {xId}");
    }

    [Fact]
    public void DeltasThatDoNotFitTheirBaseAreErrorsNotBytes()
    {
        // The delta format's checks, on deltas git would not write; TryRead turns these errors into null.
        byte[] source = Encoding.ASCII.GetBytes("0123456789");
        Assert.Equal(Encoding.ASCII.GetBytes("3456xy"), ObjectDatabase.Delta.Apply(source, [10, 6, 0x91, 3, 4, 2, (byte)'x', (byte)'y']));
        Assert.Equal(6, ObjectDatabase.Delta.ResultSize([10, 6, 0x91, 3, 4]));
        byte[][] bad =
        [
            [11, 6, 0x91, 3, 4, 2, (byte)'x', (byte)'y'], // the base is not the size the delta says
            [10, 6, 0x91, 8, 4, 2, (byte)'x', (byte)'y'], // a copy past the base's end
            [10, 6, 0x91, 3, 7], // a copy past the result's end
            [10, 6, 0x91, 3, 4, 3, (byte)'x', (byte)'y'], // an insert past the delta's end
            [10, 6, 0x91, 3, 4, 0, (byte)'x', (byte)'y'], // the reserved instruction 0
            [10, 6, 0x91, 3, 4], // shorter than it says
            [10, 6, 0x91, 3, 4, 2, (byte)'x', (byte)'y', 1, (byte)'z'], // longer than it says
            [10, 6, 0x91, 3], // an instruction cut off
            [10], // no result size
            [10, 6, 0x80], // a copy of 0x10000 bytes (size 0) from a 10-byte base
        ];
        foreach (byte[] delta in bad)
        {
            Assert.Throws<InvalidDataException>(() => ObjectDatabase.Delta.Apply(source, delta));
        }

        // Size 0 means 0x10000 bytes.
        byte[] large = RandomBytes(new Random(3), 0x10000 + 5);
        Assert.Equal(large[..0x10000], ObjectDatabase.Delta.Apply(large, [0x85, 0x80, 0x04, 0x80, 0x80, 0x04, 0x80]));
    }

    // ---- Handmade packs: shapes git makes rarely ----------------------------------------------

    [Fact]
    public void AnOffsetDeltaOnARefDeltaOfABlobIsRead()
    {
        // A fetched pack fixed with --fix-thin holds such chains: ofs-delta -> ref-delta -> whole.
        using var repo = new GitRepository();
        byte[] b1 = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 400).Select(i => $"line {i}\n")));
        byte[] b2 = [.. b1, .. Encoding.ASCII.GetBytes("line two\n")];
        byte[] b3 = [.. b2, .. Encoding.ASCII.GetBytes("line three\n")];
        var pack = new PackBuilder();
        int whole = pack.Whole(3, b1);
        int refDelta = pack.RefDelta(ObjectId("blob", b1), b1, b2);
        pack.OfsDelta(refDelta, b2, b3);
        pack.Write(repo.Path);
        Dictionary<string, GitObject> truth = AllObjects(repo.Path);
        Assert.Equal(3, truth.Count);
        Assert.Equal(b3, truth[ObjectId("blob", b3)].Content);
        Assert.Equal(12, whole);
        Assert.Equal([3, RefDelta, OfsDelta], Entries(repo.Path).OrderBy(e => e.Offset).Select(e => e.PackType));

        using ObjectDatabase db = OpenDatabase(repo.Path, Large);
        AssertReadsAll(db, truth, reverse: false);
        using ObjectDatabase again = OpenDatabase(repo.Path, Large);
        AssertReadsAll(again, truth, reverse: true);
    }

    [Fact]
    public void AnOffsetDeltaOnARefDeltaOfATreeIsNotABlob()
    {
        using var repo = new GitRepository();
        byte[] content = Encoding.ASCII.GetBytes("x\n");
        byte[] blobId = Convert.FromHexString(ObjectId("blob", content));
        byte[] t1 = TreeOf(blobId, "a");
        byte[] t2 = TreeOf(blobId, "a", "b");
        byte[] t3 = TreeOf(blobId, "a", "b", "c");
        var pack = new PackBuilder();
        pack.Whole(3, content);
        pack.Whole(2, t1);
        int refDelta = pack.RefDelta(ObjectId("tree", t1), t1, t2);
        pack.OfsDelta(refDelta, t2, t3);
        pack.Write(repo.Path);
        Dictionary<string, GitObject> truth = AllObjects(repo.Path);
        Assert.Equal("tree", truth[ObjectId("tree", t3)].Type);

        using ObjectDatabase db = OpenDatabase(repo.Path, Large);
        Blob? tree = db.TryRead(ObjectId("tree", t3), long.MaxValue);
        Assert.NotNull(tree);
        Assert.Equal((BlobStatus.NotABlob, (long)t3.Length), (tree.Status, tree.Size));
        AssertReadsAll(db, truth, reverse: false);
    }

    [Fact]
    public void ARefDeltaOfATreeIsNotABlobWithItsSize()
    {
        using var repo = new GitRepository();
        byte[] content = Encoding.ASCII.GetBytes("x\n");
        byte[] blobId = Convert.FromHexString(ObjectId("blob", content));
        byte[] t1 = TreeOf(blobId, "a");
        byte[] t2 = TreeOf(blobId, "a", "b");
        var pack = new PackBuilder();
        pack.Whole(3, content);
        pack.Whole(2, t1);
        pack.RefDelta(ObjectId("tree", t1), t1, t2);
        pack.Write(repo.Path);
        Dictionary<string, GitObject> truth = AllObjects(repo.Path);
        Assert.Equal(3, truth.Count);

        using ObjectDatabase db = OpenDatabase(repo.Path, Large);
        AssertReadsAll(db, truth, reverse: false);
    }

    // ---- 9. Repositories it leaves to git -----------------------------------------------------

    [Fact]
    public void OpenDeclinesWhatItCannotReadAsGitWould()
    {
        string objects = ObjectsOf(fixture.Packed);
        using (ObjectDatabase? sha1 = ObjectDatabase.Open(objects, "sha1", hasReplaceRefs: false, Large))
        {
            Assert.NotNull(sha1);
        }

        Assert.Null(ObjectDatabase.Open(objects, "sha256", hasReplaceRefs: false, Large));
        Assert.Null(ObjectDatabase.Open(objects, null, hasReplaceRefs: false, Large));
        Assert.Null(ObjectDatabase.Open(objects, "SHA1", hasReplaceRefs: false, Large));
        Assert.Null(ObjectDatabase.Open(objects, "sha1", hasReplaceRefs: true, Large));
        Assert.Null(ObjectDatabase.Open(Path.Combine(fixture.Packed, "no-such-objects"), "sha1", hasReplaceRefs: false, Large));

        // A real SHA-256 repository says so.
        using var sha256 = new TempDirectory();
        Git(sha256.Path, "init", "-q", "--object-format=sha256");
        GitRepositoryInfo info = GitRepositoryInfo.Open(sha256.Path);
        Assert.Equal("sha256", info.ObjectFormat);
        Assert.Null(ObjectDatabase.Open(info.ObjectsDirectory, info.ObjectFormat, hasReplaceRefs: false, Large));
    }

    // ---- 10. End to end -----------------------------------------------------------------------

    [Fact]
    public void AHistoryScanFindsTheSameBeforeAndAfterAnAggressiveGc()
    {
        using var repo = new GitRepository();
        var lines = Enumerable.Range(0, 80).Select(i => $"SETTING_{i}=value-{i}").ToList();
        repo.Write("deploy/app.env", string.Join('\n', lines) + "\n");
        repo.Commit("init");
        lines.Insert(40, "GITHUB_TOKEN=" + Token(71));
        repo.Write("deploy/app.env", string.Join('\n', lines) + "\n");
        string added = repo.Commit("add the token");
        for (int i = 0; i < 6; i++)
        {
            lines[i * 10] = $"SETTING_{i}=changed-{i}";
            repo.Write("deploy/app.env", string.Join('\n', lines) + "\n");
            repo.Commit($"edit {i}");
        }

        repo.Write("other/keep.env", "T=" + Token(72) + "\n");
        string kept = repo.Commit("another token");
        lines.RemoveAt(40);
        repo.Write("deploy/app.env", string.Join('\n', lines) + "\n");
        repo.Commit("remove the token");

        var before = Findings(repo.Path);
        Assert.Equal(LooseCount(repo.Path), AllObjects(repo.Path).Count);
        repo.Git("gc", "-q", "--aggressive", "--prune=now");
        Assert.Equal(0, LooseCount(repo.Path));
        Assert.Contains(Entries(repo.Path), e => e.Type == "blob" && e.Depth > 0);
        var after = Findings(repo.Path);

        List<(string Rule, string Path, int Line, string? Commit, bool? InHead)> expected =
            [("github-pat", "deploy/app.env", 41, added, false), ("github-pat", "other/keep.env", 1, kept, true)];
        Assert.Equal(expected, before);
        Assert.Equal(before, after);
    }

    [Fact]
    public void AHistoryScanOfARepositoryWithReplaceRefsSeesWhatGitSees()
    {
        // git answers a replaced blob with its replacement; the object files hold the original.
        // A scan must see git's view: here the token's blob is replaced by one without it.
        using var repo = new GitRepository();
        repo.Write("app.env", "NAME=app\n");
        repo.Commit("init");
        repo.Write("app.env", "NAME=app\nT=" + Token(73) + "\n");
        repo.Commit("add");
        repo.Git("gc", "-q", "--aggressive");
        Assert.Single(Findings(repo.Path));

        string original = repo.Git("rev-parse", "HEAD:app.env").Trim();
        string replacement = Encoding.ASCII.GetString(Run(repo.Path, Encoding.ASCII.GetBytes("NAME=app\nT=none\n"), "hash-object", "-w", "--stdin")).Trim();
        repo.Git("replace", original, replacement);
        Assert.Equal("NAME=app\nT=none\n", repo.Git("cat-file", "blob", original));
        Assert.Empty(Findings(repo.Path));
    }

    // ---- Fixture and helpers -------------------------------------------------------------------

    /// <summary>One history of 60 commits, imported once; tests work on copies of it.</summary>
    public sealed class Fixture : IDisposable
    {
        private readonly GitRepository _source = new();
        private readonly TempDirectory _packed = new();
        private readonly TempDirectory _loose = new();

        public Fixture()
        {
            Import(_source.Path, FixtureHistory(), unpackLimit: 0);
            Objects = AllObjects(_source.Path);
            CopyDirectory(_source.Path, _packed.Path);
            Git(_packed.Path, "repack", "-adf", "--depth=50", "--window=50");
            PackedEntries = Entries(_packed.Path);
            CopyDirectory(_source.Path, _loose.Path);
            Unpack(_loose.Path);
        }

        /// <summary>Every object git lists (all of them reachable), with git's bytes.</summary>
        public IReadOnlyDictionary<string, GitObject> Objects { get; }

        /// <summary>The history as fast-import wrote it: one pack.</summary>
        public string Source => _source.Path;

        /// <summary>The history in one pack of long offset-delta chains (<c>repack -adf --depth=50 --window=50</c>); read only.</summary>
        public string Packed => _packed.Path;

        /// <summary>The history as loose objects only; read only.</summary>
        public string Loose => _loose.Path;

        internal IReadOnlyList<PackEntry> PackedEntries { get; }

        /// <summary>A copy of a whole repository (the fast-import one by default), to change.</summary>
        public TempDirectory Copy(string? repository = null)
        {
            var copy = new TempDirectory();
            CopyDirectory(repository ?? Source, copy.Path);
            return copy;
        }

        /// <summary>A copy of a repository's objects folder alone, to damage and open directly.</summary>
        public TempDirectory CopyObjects(string repository)
        {
            var copy = new TempDirectory();
            CopyDirectory(ObjectsOf(repository), copy.Path);
            return copy;
        }

        public void Dispose()
        {
            _source.Dispose();
            _packed.Dispose();
            _loose.Dispose();
        }
    }

    /// <summary>An object as git answers it.</summary>
    public sealed record GitObject(string Type, byte[] Content);

    /// <summary>A line of <c>git verify-pack -v</c> (Size is the delta's for a delta), and the entry's type in the pack (6 ofs-delta, 7 ref-delta).</summary>
    internal sealed record PackEntry(string Id, string Type, long Size, long PackedSize, long Offset, int Depth, string? Base, int PackType);

    private const int OfsDelta = 6;
    private const int RefDelta = 7;

    /// <summary>The object's size (verify-pack says a delta's size for a delta).</summary>
    private long SizeOf(PackEntry entry) => fixture.Objects[entry.Id].Content.Length;

    private static string Token(int seed) => new ExampleTemplate(seed).Expand("{{github:ghp}}");

    private static List<(string Rule, string Path, int Line, string? Commit, bool? InHead)> Findings(string path) =>
        new HistoryScanner(ScanConfig.Default, new HistoryOptions { MaxParallelism = 2 }).Scan(path).Findings
            .Select(f => (f.Finding.RuleId, f.Finding.Path, f.Finding.Line, f.Commit, f.InHead))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();

    private static ObjectDatabase OpenDatabase(string repository, long cacheBytes)
    {
        GitRepositoryInfo info = GitRepositoryInfo.Open(repository);
        Assert.Equal("sha1", info.ObjectFormat);
        ObjectDatabase? db = ObjectDatabase.Open(info.ObjectsDirectory, info.ObjectFormat, hasReplaceRefs: false, cacheBytes);
        Assert.NotNull(db);
        return db;
    }

    /// <summary>A work tree's objects folder (all the repositories here are plain clones or inits).</summary>
    private static string ObjectsOf(string repository) => Path.Combine(repository, ".git", "objects");

    private static string LoosePath(string repository, string id) => LooseIn(ObjectsOf(repository), id);

    private static string LooseIn(string objects, string id) => Path.Combine(objects, id[..2], id[2..]);

    private static ObjectDatabase OpenObjects(string objects, long cacheBytes)
    {
        ObjectDatabase? db = ObjectDatabase.Open(objects, "sha1", hasReplaceRefs: false, cacheBytes);
        Assert.NotNull(db);
        return db;
    }

    private static string PackFileIn(string objects) => Assert.Single(Directory.GetFiles(Path.Combine(objects, "pack"), "*.pack"));

    private static int LooseCount(string repository) =>
        Directory.GetDirectories(ObjectsOf(repository))
            .Where(d => Path.GetFileName(d).Length == 2)
            .Sum(d => Directory.GetFiles(d).Length);

    private static string PackFile(string repository) => Assert.Single(Directory.GetFiles(Path.Combine(ObjectsOf(repository), "pack"), "*.pack"));

    /// <summary>Every object read in id order (or its reverse), each twice, checked against git.</summary>
    private static void AssertReadsAll(ObjectDatabase db, IReadOnlyDictionary<string, GitObject> truth, bool reverse, bool nonBlobsMayBeNull = false)
    {
        var ids = truth.Keys.Order(StringComparer.Ordinal).ToList();
        if (reverse)
        {
            ids.Reverse();
        }

        for (int pass = 0; pass < 2; pass++)
        {
            foreach (string id in ids)
            {
                if (nonBlobsMayBeNull && truth[id].Type != "blob" && db.TryRead(id, long.MaxValue) is null)
                {
                    continue;
                }

                AssertRead(db, id, truth[id]);
            }
        }
    }

    private static void AssertRead(ObjectDatabase db, string id, GitObject expected, long maxSize = long.MaxValue)
    {
        Blob? blob = db.TryRead(id, maxSize);
        Assert.True(blob is not null, $"{expected.Type} {id} ({expected.Content.Length} bytes) not read");
        Assert.Equal(id, blob.Id);
        if (expected.Type == "blob")
        {
            AssertSame(expected, blob);
        }
        else
        {
            Assert.Equal((BlobStatus.NotABlob, (long)expected.Content.Length), (blob.Status, blob.Size));
            Assert.True(blob.Bytes.IsEmpty);
        }
    }

    private static bool IsRight(Blob? blob, GitObject expected) =>
        blob is not null && (expected.Type == "blob"
            ? blob.Status == BlobStatus.Read && blob.Bytes.SequenceEqual(expected.Content)
            : blob.Status == BlobStatus.NotABlob && blob.Size == expected.Content.Length);

    private static void AssertSame(GitObject expected, Blob blob)
    {
        Assert.Equal(BlobStatus.Read, blob.Status);
        Assert.Equal(expected.Content.Length, blob.Size);
        Assert.True(blob.Bytes.SequenceEqual(expected.Content), $"{blob.Id}: other bytes than git's");
    }

    /// <summary>No answer, or the right one: never other bytes, another size or another kind.</summary>
    private static void AssertNullOrRight(Blob? blob, GitObject expected)
    {
        if (blob is null)
        {
            return;
        }

        if (blob.Status == BlobStatus.Read)
        {
            Assert.Equal("blob", expected.Type);
            AssertSame(expected, blob);
        }
        else
        {
            // Too large or not a blob: told without the bytes, from a header that may be the damaged part.
            Assert.True(blob.Bytes.IsEmpty);
            Assert.NotEqual(BlobStatus.Missing, blob.Status);
        }
    }

    /// <summary>TryRead, with any exception turned into a failure that names the object.</summary>
    private static Blob? Try(ObjectDatabase db, string id)
    {
        try
        {
            return db.TryRead(id, long.MaxValue);
        }
        catch (Exception e)
        {
            Assert.Fail($"TryRead({id}) threw {e.GetType().Name}: {e.Message}");
            throw;
        }
    }

    private static void AssertNeverWrong(string objects, IReadOnlyDictionary<string, GitObject> truth)
    {
        foreach (long cache in new[] { Large, 4096L })
        {
            using ObjectDatabase? db = ObjectDatabase.Open(objects, "sha1", hasReplaceRefs: false, cache);
            Assert.NotNull(db);
            foreach (string id in truth.Keys.Order(StringComparer.Ordinal))
            {
                AssertNullOrRight(Try(db, id), truth[id]);
            }
        }
    }

    private static void AssertTooLargeThenRead(string repository, string id, GitObject expected)
    {
        long size = expected.Content.Length;
        using (ObjectDatabase db = OpenDatabase(repository, Large))
        {
            Blob blob = db.TryRead(id, size - 1)!;
            Assert.Equal((BlobStatus.TooLarge, size), (blob.Status, blob.Size));
            Assert.True(blob.Bytes.IsEmpty);
            Assert.Equal(BlobStatus.TooLarge, db.TryRead(id, 1)!.Status);
        }

        using (ObjectDatabase db = OpenDatabase(repository, Large))
        {
            AssertRead(db, id, expected, maxSize: size);
        }
    }

    /// <summary>The pack's entries, with each entry's type byte read from the pack itself.</summary>
    private static List<PackEntry> Entries(string repository)
    {
        string pack = PackFile(repository);
        byte[] bytes = File.ReadAllBytes(pack);
        string output = Encoding.ASCII.GetString(Run(repository, null, "verify-pack", "-v", Path.ChangeExtension(pack, ".idx")));
        var entries = new List<PackEntry>();
        foreach (string line in output.Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 5 || f[0].Length != 40)
            {
                continue;
            }

            long offset = long.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture);
            entries.Add(new PackEntry(
                f[0],
                f[1],
                long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture),
                offset,
                f.Length >= 7 ? int.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture) : 0,
                f.Length >= 7 ? f[6] : null,
                (bytes[offset] >> 4) & 7));
        }

        Assert.NotEmpty(entries);
        return entries;
    }

    /// <summary>Every object of the repository and its alternates, from one <c>git cat-file --batch-all-objects --batch</c>.</summary>
    private static Dictionary<string, GitObject> AllObjects(string repository)
    {
        byte[] output = Run(repository, null, "cat-file", "--batch-all-objects", "--batch");
        var objects = new Dictionary<string, GitObject>(StringComparer.Ordinal);
        int p = 0;
        while (p < output.Length)
        {
            int end = Array.IndexOf(output, (byte)'\n', p);
            string[] header = Encoding.ASCII.GetString(output, p, end - p).Split(' ');
            int size = int.Parse(header[2], System.Globalization.CultureInfo.InvariantCulture);
            objects[header[0]] = new GitObject(header[1], output.AsSpan(end + 1, size).ToArray());
            p = end + 1 + size + 1;
        }

        return objects;
    }

    private static void Git(string directory, params string[] args) => Run(directory, null, args);

    /// <summary>git with bytes in and bytes out.</summary>
    private static byte[] Run(string directory, byte[]? input, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.BaseStream.Write(input);
        }

        process.StandardInput.Close();
        copy.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr.GetAwaiter().GetResult()}");
        }

        return stdout.ToArray();
    }

    private static void Import(string repository, byte[] stream, int unpackLimit) =>
        Run(repository, stream, "-c", $"fastimport.unpackLimit={unpackLimit}", "fast-import", "--quiet", "--depth=50");

    /// <summary>All objects loose: the packs moved out and unpacked.</summary>
    private static void Unpack(string repository)
    {
        string packDirectory = Path.Combine(ObjectsOf(repository), "pack");
        foreach (string pack in Directory.GetFiles(packDirectory, "*.pack"))
        {
            byte[] bytes = File.ReadAllBytes(pack);
            foreach (string file in Directory.GetFiles(packDirectory, Path.GetFileNameWithoutExtension(pack) + ".*"))
            {
                File.SetAttributes(file, FileAttributes.Normal);
                File.Delete(file);
            }

            Run(repository, bytes, "unpack-objects", "-q");
        }
    }

    private static void Rewrite(string path, byte[] bytes)
    {
        File.SetAttributes(path, FileAttributes.Normal);
        File.WriteAllBytes(path, bytes);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Deflate(byte[] content)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(content);
        }

        return output.ToArray();
    }

    private static string ObjectId(string type, byte[] content) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"{type} {content.Length}\0"), .. content]));

    private static byte[] TreeOf(byte[] blobId, params string[] names) =>
        [.. names.SelectMany(n => (byte[])[.. Encoding.ASCII.GetBytes($"100644 {n}\0"), .. blobId])];

    /// <summary>60 commits: a text file with small and large edits, a large file, binary files, an empty one, nested trees, a tag.</summary>
    private static byte[] FixtureHistory()
    {
        var random = new Random(7);
        var import = new ImportStream(continues: false);
        var notes = Enumerable.Range(0, 200).Select(i => $"line {i}: {Word(random)} {Word(random)} {Word(random)}").ToList();
        var big = Enumerable.Range(0, 2500).Select(i => $"{i:D5} {Word(random)} {Word(random)} {Word(random)} {Word(random)} {Word(random)}").ToList();
        byte[] binary = RandomBytes(random, 9000);
        var chain = Enumerable.Range(0, 300).Select(i => $"{i:D3} {Word(random)} {Word(random)} {Word(random)}").ToList();
        for (int c = 0; c < 60; c++)
        {
            // One line changed and one appended each time: each version is nearest the next, and
            // larger than the one before, so the repack makes one long chain of them.
            chain[(c * 37) % 300] = $"{(c * 37) % 300:D3} changed in {c:D2} to {Word(random)}";
            chain.Add($"appended in {c:D2}");
            var changes = new List<(string, byte[]?)> { ("chain.txt", Lines(chain)) };
            if (c % 7 == 6)
            {
                // A large edit: a block of lines replaced, and some appended.
                int at = random.Next(0, notes.Count - 60);
                for (int i = at; i < at + 60; i++)
                {
                    notes[i] = $"rewritten {c}: {Word(random)} {Word(random)}";
                }

                notes.AddRange(Enumerable.Range(0, 20).Select(i => $"appended {c}.{i}: {Word(random)}"));
            }
            else
            {
                for (int k = 0; k <= c % 3; k++)
                {
                    notes[random.Next(notes.Count)] = $"edited {c}.{k}: {Word(random)}";
                }
            }

            changes.Add(("notes.txt", Lines(notes)));
            if (c == 0)
            {
                changes.Add(("empty.txt", []));
                changes.Add(("bin/one-byte.bin", [0]));
            }

            if (c % 10 == 0)
            {
                // The large file: edits spread over it, once shrunk by half.
                for (int k = 0; k < 5; k++)
                {
                    big[random.Next(big.Count)] = $"changed at {c}: {Word(random)}";
                }

                changes.Add(("data/big.txt", Lines(c == 30 ? big.Take(1200) : big)));
            }

            if (c % 4 == 1)
            {
                for (int k = 0; k < 6; k++)
                {
                    binary[random.Next(binary.Length)] = (byte)random.Next(256);
                }

                changes.Add(("bin/blob.bin", [.. binary]));
            }

            if (c % 9 == 3)
            {
                // Noise: incompressible bytes, some over 64 KiB (a delta copy's largest unit).
                changes.Add(($"bin/noise-{c}.bin", RandomBytes(random, c == 30 ? 70_000 : random.Next(1, 6000))));
            }

            changes.Add(($"dir/sub{c % 3}/file-{c % 5}.txt", Encoding.ASCII.GetBytes($"commit {c}\n{Word(random)}\n")));
            if (c == 50)
            {
                changes.Add(("dir/sub1/file-1.txt", null));
            }

            import.Commit($"commit {c}", changes);
            if (c == 40)
            {
                import.Tag("v1", "release one");
            }
        }

        return import.ToArray();
    }

    /// <summary>More commits on top of any history: new files edited over the commits, and notes.txt rewritten.</summary>
    private static byte[] MoreHistory(int seed, int commits)
    {
        var random = new Random(seed);
        var import = new ImportStream(continues: true);
        var lines = Enumerable.Range(0, 150).Select(i => $"more {seed}.{i}: {Word(random)} {Word(random)}").ToList();
        for (int c = 0; c < commits; c++)
        {
            lines[random.Next(lines.Count)] = $"edit {c}: {Word(random)}";
            import.Commit($"more {seed}.{c}", [
                ($"more/{seed}.txt", Lines(lines)),
                ($"more/bin-{seed}-{c % 2}.bin", RandomBytes(random, random.Next(10, 3000))),
                ("notes.txt", Lines(lines.Take(50 + c))),
            ]);
        }

        return import.ToArray();
    }

    private static string Word(Random random) =>
        string.Create(random.Next(3, 10), random, (span, r) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });

    private static byte[] Lines(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    /// <summary>A <c>git fast-import</c> stream on refs/heads/main.</summary>
    private sealed class ImportStream(bool continues)
    {
        private readonly MemoryStream _stream = new();
        private long _time = 1_700_000_000;
        private bool _first = true;

        public void Commit(string message, IEnumerable<(string Path, byte[]? Content)> changes)
        {
            Text("commit refs/heads/main\n");
            Text($"committer Dev <dev@example.test> {_time++} +0000\n");
            Data(Encoding.UTF8.GetBytes(message + "\n"));
            if (_first && continues)
            {
                Text("from refs/heads/main^0\n");
            }

            _first = false;
            foreach ((string path, byte[]? content) in changes)
            {
                if (content is null)
                {
                    Text($"D {path}\n");
                }
                else
                {
                    Text($"M 100644 inline {path}\n");
                    Data(content);
                }
            }

            Text("\n");
        }

        public void Tag(string name, string message)
        {
            Text($"tag {name}\nfrom refs/heads/main\ntagger Dev <dev@example.test> {_time++} +0000\n");
            Data(Encoding.UTF8.GetBytes(message + "\n"));
        }

        public byte[] ToArray() => _stream.ToArray();

        private void Text(string text) => _stream.Write(Encoding.UTF8.GetBytes(text));

        private void Data(byte[] content)
        {
            Text($"data {content.Length}\n");
            _stream.Write(content);
            Text("\n");
        }
    }

    /// <summary>A pack written by hand (whole entries, ofs- and ref-deltas), indexed by <c>git index-pack</c>.</summary>
    private sealed class PackBuilder
    {
        private readonly MemoryStream _entries = new();
        private int _count;

        /// <summary>A whole object; returns its offset.</summary>
        public int Whole(int type, byte[] content) => Entry(type, content.Length, [], content);

        public int RefDelta(string baseId, byte[] source, byte[] target) =>
            Entry(ObjectDatabaseTests.RefDelta, DeltaOf(source, target).Length, Convert.FromHexString(baseId), DeltaOf(source, target));

        public int OfsDelta(int baseOffset, byte[] source, byte[] target)
        {
            long distance = 12 + _entries.Length - baseOffset;
            var encoded = new List<byte> { (byte)(distance & 127) };
            while ((distance >>= 7) != 0)
            {
                encoded.Insert(0, (byte)(128 | (--distance & 127)));
            }

            return Entry(ObjectDatabaseTests.OfsDelta, DeltaOf(source, target).Length, [.. encoded], DeltaOf(source, target));
        }

        /// <summary>Writes objects/pack/pack-handmade.pack and lets git index (and so check) it.</summary>
        public void Write(string repository)
        {
            using var pack = new MemoryStream();
            pack.Write("PACK"u8);
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(word, 2);
            pack.Write(word);
            BinaryPrimitives.WriteUInt32BigEndian(word, (uint)_count);
            pack.Write(word);
            pack.Write(_entries.ToArray());
            pack.Write(SHA1.HashData(pack.ToArray()));
            string path = Path.Combine(ObjectsOf(repository), "pack", "pack-handmade.pack");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, pack.ToArray());
            Git(repository, "index-pack", path);
        }

        private static byte[] DeltaOf(byte[] source, byte[] target)
        {
            // Copy the source whole (it is the target's start), then insert the rest.
            Assert.True(target.AsSpan().StartsWith(source) && source.Length is > 0 and < 0x1000000);
            var delta = new List<byte>();
            Varint(delta, source.Length);
            Varint(delta, target.Length);
            delta.AddRange([0x80 | 0x10 | 0x20 | 0x40, (byte)source.Length, (byte)(source.Length >> 8), (byte)(source.Length >> 16)]);
            for (int at = source.Length; at < target.Length; at += 127)
            {
                int n = Math.Min(127, target.Length - at);
                delta.Add((byte)n);
                delta.AddRange(target.AsSpan(at, n).ToArray());
            }

            return [.. delta];
        }

        private static void Varint(List<byte> output, long value)
        {
            while (value >= 0x80)
            {
                output.Add((byte)(0x80 | (value & 0x7f)));
                value >>= 7;
            }

            output.Add((byte)value);
        }

        private int Entry(int type, long size, byte[] afterHeader, byte[] data)
        {
            int offset = 12 + (int)_entries.Length;
            byte first = (byte)((type << 4) | (int)(size & 15));
            size >>= 4;
            var header = new List<byte>();
            while (size != 0)
            {
                header.Add((byte)(size & 0x7f));
                size >>= 7;
            }

            _entries.WriteByte((byte)(first | (header.Count > 0 ? 0x80 : 0)));
            for (int i = 0; i < header.Count; i++)
            {
                _entries.WriteByte((byte)(header[i] | (i + 1 < header.Count ? 0x80 : 0)));
            }

            _entries.Write(afterHeader);
            _entries.Write(Deflate(data));
            _count++;
            return offset;
        }
    }
}
