using System.Text;

namespace NhiGuard.Scanner.Git;

/// <summary>Splits a stream of git's <c>-z</c> output into NUL-terminated tokens, without reading it whole.</summary>
internal sealed class NulTokenReader(Stream input)
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The next token (without its NUL), or false at the end of the stream.</summary>
    public bool TryRead(out ReadOnlySpan<byte> token)
    {
        while (true)
        {
            int nul = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)0);
            if (nul >= 0)
            {
                token = _buffer.AsSpan(_start, nul);
                _start += nul + 1;
                return true;
            }

            if (_eof)
            {
                token = _buffer.AsSpan(_start, _end - _start);
                _start = _end;
                return token.Length > 0;
            }

            Fill();
        }
    }

    /// <summary>The next token as text (UTF-8, invalid bytes replaced), or null at the end.</summary>
    public string? ReadString()
    {
        return TryRead(out ReadOnlySpan<byte> token) ? Utf8.GetString(token) : null;
    }

    public static string Decode(ReadOnlySpan<byte> token) => Utf8.GetString(token);

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // A token longer than the buffer (a huge path or author name): grow.
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int n = input.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
        }

        _end += n;
    }
}
