using System.Collections.Concurrent;
using System.Globalization;
using NhiGuard.Detection;

namespace NhiGuard.Scanner.Git;

/// <summary>A blob as scanned under one path profile: the first 128 bits of its id are plenty to tell blobs apart.</summary>
internal readonly record struct BlobKey(UInt128 Hash, int Profile)
{
    public static BlobKey Of(string hexId, int profile) => new(HashOf(hexId), profile);

    /// <summary>A blob as changed from its parents' blobs: the same change is scanned once.</summary>
    public static BlobKey Of(string hexId, IReadOnlyList<string> parents, int profile)
    {
        UInt128 hash = HashOf(hexId);
        foreach (string parent in parents)
        {
            hash = (hash * 0x9E3779B97F4A7C15UL) ^ HashOf(parent);
        }

        return new BlobKey(hash, profile);
    }

    private static UInt128 HashOf(string hexId)
    {
        ReadOnlySpan<char> hex = hexId.AsSpan(0, Math.Min(32, hexId.Length));
        UInt128.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out UInt128 hash);
        return hash;
    }
}

/// <summary>One blob's scan, done or under way: the findings it had under the path it was scanned as.</summary>
internal sealed class BlobSlot(string id, string path, BlobKey key)
{
    public static readonly BlobSlot Clean = Completed("", "", default, []);

    // No spinning while waiting (see WorkQueue).
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private IReadOnlyList<Finding> _findings = [];
    private Exception? _failure;

    public string Id { get; } = id;

    /// <summary>The path the blob was scanned as; findings name it.</summary>
    public string Path { get; } = path;

    public BlobKey Key { get; } = key;

    public IReadOnlyList<Finding> Wait(CancellationToken cancellation)
    {
        _done.Wait(cancellation);
        if (_failure is not null)
        {
            throw new AggregateException(_failure);
        }

        return _findings;
    }

    public void Complete(IReadOnlyList<Finding> findings)
    {
        if (!_done.IsSet)
        {
            _findings = findings;
            _done.Set();
        }
    }

    public void Fail(Exception e)
    {
        if (!_done.IsSet)
        {
            _failure = e;
            _done.Set();
        }
    }

    /// <summary>Its findings re-pathed to <paramref name="path"/> (same profile, so the same rules applied).</summary>
    public IReadOnlyList<Finding> FindingsAt(string path, CancellationToken cancellation)
    {
        IReadOnlyList<Finding> findings = Wait(cancellation);
        if (findings.Count == 0 || path == Path)
        {
            return findings;
        }

        return findings.Select(f => f with { Path = path, Fingerprint = Fingerprint.Compute(f.RuleId, path, f.Secret) }).ToList();
    }

    private static BlobSlot Completed(string id, string path, BlobKey key, IReadOnlyList<Finding> findings)
    {
        var slot = new BlobSlot(id, path, key);
        slot.Complete(findings);
        return slot;
    }
}

/// <summary>
/// What has been scanned (a blob, or a blob as changed from its parents), once per path profile
/// however many commits and paths bring it. Only scans with findings keep their findings; the
/// rest leave a 20-byte mark.
/// </summary>
internal sealed class ScannedBlobs
{
    private readonly HashSet<BlobKey> _seen = [];
    private readonly ConcurrentDictionary<BlobKey, BlobSlot> _pending = new();
    private readonly ConcurrentDictionary<BlobKey, BlobSlot> _withFindings = new();

    /// <summary>
    /// The scan of a blob: done, under way, or — when <paramref name="claimed"/> — new, for the
    /// caller to scan and then <see cref="Complete"/>.
    /// </summary>
    public BlobSlot Resolve(string id, string path, int profile, out bool claimed) =>
        Resolve(BlobKey.Of(id, profile), id, path, out claimed);

    /// <summary>As <see cref="Resolve(string, string, int, out bool)"/>, under a key the caller derived (a blob and its parents).</summary>
    public BlobSlot Resolve(BlobKey key, string id, string path, out bool claimed)
    {
        lock (_seen)
        {
            claimed = _seen.Add(key);
            if (claimed)
            {
                var slot = new BlobSlot(id, path, key);
                _pending[key] = slot;
                return slot;
            }
        }

        // Completion records findings before it leaves the pending table, so one of these has it.
        if (_pending.TryGetValue(key, out BlobSlot? pending))
        {
            return pending;
        }

        return _withFindings.TryGetValue(key, out BlobSlot? done) ? done : BlobSlot.Clean;
    }

    public void Complete(BlobSlot slot, IReadOnlyList<Finding> findings)
    {
        BlobKey key = slot.Key;
        if (findings.Count > 0)
        {
            _withFindings[key] = slot;
        }

        slot.Complete(findings);
        _pending.TryRemove(key, out _);
    }
}
