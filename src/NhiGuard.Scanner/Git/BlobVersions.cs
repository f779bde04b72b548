using System.Text;

namespace NhiGuard.Scanner.Git;

/// <summary>What a blob turned out to be once read.</summary>
internal enum BlobKind
{
    Text,
    Binary,
    LfsPointer,
    TooLarge,
    Missing,
}

/// <summary>
/// A file version as read from <c>git cat-file</c>, once: what it is and, for text, its bytes as
/// UTF-8 (a BOM dropped, UTF-16 re-encoded), so that lines can be compared and decoded without
/// turning the whole blob into a string. Read by the change that scans it and by its children.
/// </summary>
internal sealed class BlobVersion(string id)
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

    // No spinning while waiting: on two cores a spinning waiter takes the core git needs.
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private Exception? _failure;

    public string Id { get; } = id;

    public BlobKind Kind { get; private set; }

    /// <summary>The size git reported, in bytes.</summary>
    public long Size { get; private set; }

    /// <summary>The text as UTF-8; null unless <see cref="Kind"/> is <see cref="BlobKind.Text"/>.</summary>
    public byte[]? Utf8Text { get; private set; }

    internal long Charged { get; set; }

    /// <summary>Whether the version was first asked for as a change's new version (it then counts against the history scan's read-ahead).</summary>
    internal bool CountsAhead { get; set; }

    /// <summary>The bytes it counts against the read-ahead until its change is scanned (guarded by the scan's lock).</summary>
    internal long AheadCharge { get; set; }

    public void Complete(Blob blob)
    {
        (BlobKind kind, byte[]? text) = blob.Status switch
        {
            BlobStatus.TooLarge => (BlobKind.TooLarge, null),
            BlobStatus.Missing or BlobStatus.NotABlob => (BlobKind.Missing, null),
            _ => BlobScanner.Classify(blob.Bytes) is BlobKind.Text ? (BlobKind.Text, ToUtf8(blob)) : (BlobScanner.Classify(blob.Bytes), (byte[]?)null),
        };

        (Kind, Size, Utf8Text) = (kind, blob.Size, text);
        _done.Set();
    }

    public void Fail(Exception e)
    {
        Interlocked.CompareExchange(ref _failure, e, null);
        _done.Set();
    }

    public BlobVersion WaitFor(CancellationToken cancellation)
    {
        _done.Wait(cancellation);
        if (_failure is not null)
        {
            throw new OperationCanceledException("the blob was not read", _failure, cancellation);
        }

        return this;
    }

    /// <summary>The whole text, decoded.</summary>
    public string Decode() => Utf8.GetString(Utf8Text ?? []);

    private static byte[] ToUtf8(Blob blob)
    {
        ReadOnlySpan<byte> bytes = blob.Bytes;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return bytes[3..].ToArray();
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Utf8.GetBytes(TextDecoding.Decode(bytes));
        }

        return blob.TakeArray();
    }
}

/// <summary>
/// Recently read file versions, so that a child commit's parent version is not read again
/// (commits come oldest first). Bounded in bytes, least recently used forgotten first: memory does
/// not grow with the history's length; a forgotten version is read again if a child needs it.
/// </summary>
internal sealed class BlobVersionCache(long budgetBytes)
{
    private readonly Dictionary<UInt128, LinkedListNode<BlobVersion>> _byId = [];
    private readonly LinkedList<BlobVersion> _recent = new();
    private long _bytes;

    /// <summary>The entry for a version: known, on its way, or — when <paramref name="isNew"/> — for the caller to have read.</summary>
    public BlobVersion Get(string id, out bool isNew)
    {
        UInt128 key = BlobKey.Of(id, 0).Hash;
        lock (_recent)
        {
            if (_byId.TryGetValue(key, out LinkedListNode<BlobVersion>? node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                isNew = false;
                return node.Value;
            }

            var version = new BlobVersion(id);
            _byId[key] = _recent.AddFirst(version);
            isNew = true;
            return version;
        }
    }

    /// <summary>The version's bytes if it is at hand, without waiting.</summary>
    public byte[]? Peek(string id)
    {
        lock (_recent)
        {
            return _byId.TryGetValue(BlobKey.Of(id, 0).Hash, out LinkedListNode<BlobVersion>? node) && node.Value.Charged > 0 ? node.Value.Utf8Text : null;
        }
    }

    /// <summary>Counts a read version against the budget and forgets the least recently used beyond it.</summary>
    public void Charge(BlobVersion version)
    {
        lock (_recent)
        {
            if (!_byId.TryGetValue(BlobKey.Of(version.Id, 0).Hash, out LinkedListNode<BlobVersion>? node) || node.Value != version)
            {
                return;
            }

            version.Charged = 64 + (version.Utf8Text?.Length ?? 0);
            _bytes += version.Charged;
            while (_bytes > budgetBytes && _recent.Last is { } oldest && oldest.Value != version)
            {
                _recent.RemoveLast();
                _byId.Remove(BlobKey.Of(oldest.Value.Id, 0).Hash);
                _bytes -= oldest.Value.Charged;
            }
        }
    }
}
