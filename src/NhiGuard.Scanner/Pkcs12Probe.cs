using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NhiGuard.Scanner;

/// <summary>Whether a PKCS#12 keystore hands out a private key without a password.</summary>
internal static class Pkcs12Probe
{
    public static bool IsPkcs12Path(string path) =>
        path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase);

    public static bool OpensWithoutPassword(byte[] bytes)
    {
        foreach (string? password in new[] { null, "" })
        {
            try
            {
                var certificates = X509CertificateLoader.LoadPkcs12Collection(bytes, password, X509KeyStorageFlags.EphemeralKeySet);
                try
                {
                    if (certificates.Any(c => c.HasPrivateKey))
                    {
                        return true;
                    }
                }
                finally
                {
                    foreach (var c in certificates)
                    {
                        c.Dispose();
                    }
                }
            }
            catch (CryptographicException)
            {
                // Needs a password (or is not PKCS#12 at all).
            }
        }

        return false;
    }
}
