using System.Security.Cryptography;
using System.Text;

namespace NhiGuard.Detection;

/// <summary>
/// A finding's identity across runs: rule, path and secret, never the line number, so a
/// baseline survives edits above the secret and a new secret on an ignored line is not hidden.
/// </summary>
public static class Fingerprint
{
    public static string Compute(string ruleId, string path, string secret)
    {
        byte[] input = Encoding.UTF8.GetBytes(ruleId + "\n" + path + "\n" + secret);
        byte[] hash;
        using (var sha = SHA256.Create())
        {
            hash = sha.ComputeHash(input);
        }

        var hex = new StringBuilder(32);
        for (int i = 0; i < 16; i++)
        {
            hex.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
