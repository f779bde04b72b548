using System;
using System.Collections.Generic;
using System.Text;

namespace NhiGuard.Detection;

/// <summary>
/// Validators for token formats that carry their own checksum. A checksum-valid token is a
/// finding with high confidence; an invalid one is not a finding of that rule.
/// </summary>
public static class Checksums
{
    /// <summary>GitHub's <c>ghp_</c>-family tokens: 30 base62 characters, then CRC32 of them in 6 base62 digits.</summary>
    public const string GitHub = "github";

    /// <summary>npm's <c>npm_</c> tokens: the same scheme as GitHub's.</summary>
    public const string Npm = "npm";

    public static IReadOnlyCollection<string> Names { get; } = new[] { GitHub, Npm };

    public static bool IsKnown(string name) => name == GitHub || name == Npm;

    /// <summary>Returns whether <paramref name="secret"/> passes validator <paramref name="name"/>.</summary>
    public static bool IsValid(string name, string secret) => name switch
    {
        GitHub or Npm => IsValidBase62Crc32(secret),
        _ => throw new ArgumentException("unknown checksum validator '" + name + "'", nameof(name)),
    };

    internal const string Base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static bool IsValidBase62Crc32(string token)
    {
        int underscore = token.IndexOf('_');
        if (underscore < 0 || token.Length - underscore - 1 != 36)
        {
            return false;
        }

        string body = token.Substring(underscore + 1);
        string payload = body.Substring(0, 30);
        string check = body.Substring(30);
        return Base62Encode(Crc32(Encoding.ASCII.GetBytes(payload)), 6) == check;
    }

    /// <summary>Encodes <paramref name="value"/> in base62, left-padded with '0' to <paramref name="width"/>.</summary>
    internal static string Base62Encode(uint value, int width)
    {
        var chars = new char[width];
        for (int i = width - 1; i >= 0; i--)
        {
            chars[i] = Base62Alphabet[(int)(value % 62)];
            value /= 62;
        }

        return value == 0 ? new string(chars) : "";
    }

    private static readonly uint[] Crc32Table = BuildCrc32Table();

    internal static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = Crc32Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildCrc32Table()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
