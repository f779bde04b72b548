using System.Buffers;
using System.Text;

namespace NhiGuard.Scanner.Git;

/// <summary>What <c>git cat-file --batch</c> answered for one request.</summary>
internal enum BlobStatus
{
    Read,
    TooLarge,
    NotABlob,
    Missing,
}

/// <summary>
/// A blob's bytes, in a pooled buffer that <see cref="Dispose"/> returns, or in an array of its
/// own (<see cref="TakeArray"/>). Too large, missing or non-blob answers carry no bytes.
/// </summary>
internal sealed class Blob : IDisposable
{
    private readonly bool _pooled;
    private byte[]? _buffer;

    public Blob(string id, BlobStatus status, long size, byte[]? buffer, bool pooled = true)
    {
        Id = id;
        Status = status;
        Size = size;
        _buffer = buffer;
        _pooled = pooled;
    }

    public string Id { get; }
    public BlobStatus Status { get; }
    public long Size { get; }

    public ReadOnlySpan<byte> Bytes => _buffer is null ? default : _buffer.AsSpan(0, (int)Size);

    /// <summary>The bytes as an array of exactly their size, taken over without a copy when the blob has its own.</summary>
    public byte[] TakeArray()
    {
        if (!_pooled && _buffer is { } own && own.Length == Size)
        {
            _buffer = null;
            return own;
        }

        return Bytes.ToArray();
    }

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// A long-running <c>git cat-file --batch</c>: object names go in, blobs come out in the same
/// order. Requests and answers may be handled by different threads (one writes, one reads).
/// </summary>
internal sealed class BlobReader : IDisposable
{
    private readonly GitProcess _git;
    private readonly BufferedStream _output;
    private readonly BufferedStream _input;
    private readonly long _maxSize;
    private readonly byte[] _header = new byte[512];

    public BlobReader(string repository, long maxSize)
    {
        _git = GitProcess.Start(repository, ["cat-file", "--batch"], input: true);
        _output = new BufferedStream(_git.Output, 64 * 1024);
        _input = new BufferedStream(_git.Input, 16 * 1024);
        _maxSize = maxSize;
    }

    /// <summary>Queues a request: an object id, or any name git understands (<c>HEAD:path</c>).</summary>
    public void Request(string name)
    {
        // A name with a newline would split into two requests and desynchronise the answers.
        string safe = name.Replace('\n', ' ').Replace('\r', ' ');
        try
        {
            _input.Write(Encoding.UTF8.GetBytes(safe + "\n"));
        }
        catch (IOException)
        {
            throw Failure("git cat-file stopped reading requests");
        }
    }

    /// <summary>Sends the queued requests to git.</summary>
    public void Flush()
    {
        try
        {
            _input.Flush();
        }
        catch (IOException)
        {
            // A broken pipe: git has exited, and its error says why.
            throw Failure("git cat-file stopped reading requests");
        }
    }

    /// <summary>The answer to the oldest unanswered request; null when git has stopped.</summary>
    /// <param name="owned">Read into an array of the blob's own (to keep), not a pooled buffer.</param>
    public Blob? ReadNext(bool owned = false)
    {
        int length = ReadHeader();
        if (length < 0)
        {
            return null;
        }

        string header = Encoding.UTF8.GetString(_header, 0, length);
        string[] parts = header.Split(' ');
        if (parts.Length < 3 || !long.TryParse(parts[^1], out long size))
        {
            // "<name> missing" or "<name> ambiguous": no content follows.
            return new Blob(parts[0], BlobStatus.Missing, 0, null);
        }

        string id = parts[0];
        if (parts[^2] != "blob")
        {
            Skip(size + 1);
            return new Blob(id, BlobStatus.NotABlob, size, null);
        }

        if (size > _maxSize || size > Array.MaxLength)
        {
            Skip(size + 1);
            return new Blob(id, BlobStatus.TooLarge, size, null);
        }

        byte[] buffer = owned ? GC.AllocateUninitializedArray<byte>((int)size) : ArrayPool<byte>.Shared.Rent((int)Math.Max(size, 1));
        try
        {
            _output.ReadExactly(buffer, 0, (int)size);
        }
        catch (EndOfStreamException)
        {
            // git died in the middle of an object (a corrupt pack): what it said is the reason.
            throw Failure($"git cat-file stopped in the middle of blob {id}");
        }

        _output.ReadByte();
        return new Blob(id, BlobStatus.Read, size, buffer, pooled: !owned);
    }

    /// <summary>Why git stopped answering: its own error when it gave one.</summary>
    public ConfigurationException Failure(string fallback) => _git.Failure(fallback);

    /// <summary>Requests one object and waits for it (for the rare lookups outside the pipeline).</summary>
    public Blob? Read(string name)
    {
        Request(name);
        Flush();
        return ReadNext();
    }

    /// <summary>No more requests: git answers what is queued, then exits.</summary>
    public void Complete()
    {
        try
        {
            _input.Flush();
            _git.Input.Close();
        }
        catch (IOException)
        {
            // git already exited; its answers (or its error) tell why.
        }
    }

    public void Dispose()
    {
        _git.Dispose();
    }

    private int ReadHeader()
    {
        int length = 0;
        while (true)
        {
            int b = _output.ReadByte();
            if (b < 0)
            {
                return -1;
            }

            if (b == '\n')
            {
                return length;
            }

            if (length < _header.Length)
            {
                _header[length++] = (byte)b;
            }
        }
    }

    private void Skip(long count)
    {
        byte[] scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count > 0)
            {
                int n = _output.Read(scratch, 0, (int)Math.Min(count, scratch.Length));
                if (n == 0)
                {
                    throw Failure("git cat-file stopped in the middle of an object");
                }

                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
