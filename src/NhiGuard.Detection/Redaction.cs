namespace NhiGuard.Detection;

/// <summary>Hides secrets in every output unless the user asks to see them.</summary>
public static class Redaction
{
    private const string Mask = "*****";

    /// <summary>
    /// Keeps a short prefix (enough to tell a <c>ghp_</c> from an <c>AKIA</c>) and masks the rest;
    /// the mask has a fixed width so it does not reveal the secret's length.
    /// </summary>
    public static string Redact(string secret)
    {
        if (secret.Length < 8)
        {
            return Mask;
        }

        int keep = secret.Length >= 16 ? 4 : secret.Length / 4;
        return secret.Substring(0, keep) + Mask;
    }
}
