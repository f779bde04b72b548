using System;
using System.Text.RegularExpressions;

namespace NhiGuard.Detection;

/// <summary>
/// Values that stand in for a secret and are never findings: template variables, angle-bracket
/// hints, masks, "changeme", the vendors' documented example keys.
/// </summary>
public static class Placeholders
{
    private static readonly Regex Template = new(
        @"^(?:\$\{[^}]*\}|\$\([^)]*\)|\{\{[^}]*\}\}|%[A-Za-z0-9_.-]+%|\$[A-Za-z_][A-Za-z0-9_]*|<[^<>]*>|\[[^\[\]]*\]|#\{[^}]*\}#?|__[A-Za-z0-9_]+__|@Microsoft\.KeyVault\(.*\)|\{[A-Za-z0-9_.:-]*\})$",
        RegexOptions.CultureInvariant,
        TimeSpan.FromSeconds(1));

    // Reads from the environment or a secret store, not a value.
    private static readonly Regex Reference = new(
        @"(?:\$\{|\{\{|process\.env|os\.environ|getenv|Environment\.GetEnvironmentVariable|secrets\.|vault:|keyvault:|ssm:|arn:aws:secretsmanager)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
        TimeSpan.FromSeconds(1));

    private static readonly Regex Hint = new(
        @"(?:change[-_ ]?me|changeit|your[-_ ]?(?:own[-_ ]?)?(?:api|access|secret|client|app|auth|private|personal|token|key|password|pass|pwd|account|org|project|bot|webhook|user|github|slack|stripe|aws|azure)|placeholder|replace[-_ ]?(?:me|with|this)|insert[-_ ]?(?:your|here)|put[-_ ]?your|enter[-_ ]?your|example|redacted|dummy|sample[-_]?(?:key|token|secret|password)|not[-_ ]?a[-_ ]?(?:real[-_ ]?)?(?:secret|key|token|password)|fake[-_]?(?:key|token|secret|password)|[-_]here\b|goes[-_ ]?here|secret[-_]?here|key[-_]?here|token[-_]?here|xxxx|\*\*\*|\.\.\.|…|todo|fixme|lorem[-_ ]?ipsum)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
        TimeSpan.FromSeconds(1));

    // Identifiers that sit where a secret could: an email address (anonymous FTP's password), an
    // OID or version number, a value that is code building a string ('+Escape(Password)+').
    private static readonly Regex NotASecret = new(
        @"^(?:[^@\s:/]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}|\d+(?:\.\d+){3,}|\+\s*[A-Za-z_][\w.]*(?:\(.*\))?\s*\+?)$|anonymous",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
        TimeSpan.FromSeconds(1));

    // Values published in specifications and vendor documentation as examples (RFC 6749's access,
    // refresh and client credentials, jwt.io's sample), like AWS's documented example key pair;
    // and the fixed, public keys of local emulators that every Azure SDK and sample ships (the
    // Azurite/Storage Emulator key of devstoreaccount1, the Cosmos DB Emulator key), by their
    // first 32 characters.
    private static readonly string[] DocumentedExamples =
    {
        "2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA", "SplxlOBeZQQYbYS6WxSbIA", "gX1fBat3bV",
        "czZCaGRSa3F0MzpnWDFmQmF0M2JW", "8xLOxBtZp8", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1", "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEH",
    };

    private static readonly string[] Words =
    {
        "password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "null", "nil", "none",
        "undefined", "true", "false", "string", "test", "testing", "admin", "pass", "value", "default",
        "empty", "required", "optional", "unset", "notset", "n/a", "tbd", "clientsecret", "client_secret",
        "accesstoken", "access_token", "bearer", "basic", "private", "public", "secretkey", "secret_key",
    };

    public static bool IsPlaceholder(string value)
    {
        string v = value.Trim().Trim('"', '\'', '`').Trim();
        if (v.Length == 0)
        {
            return true;
        }

        if (IsOneCharacterRepeated(v) || IsMostlyMask(v))
        {
            return true;
        }

        foreach (string w in Words)
        {
            if (string.Equals(v, w, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (string example in DocumentedExamples)
        {
            if (v.IndexOf(example, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return Template.IsMatch(v) || Reference.IsMatch(v) || Hint.IsMatch(v) || NotASecret.IsMatch(v);
    }

    private static bool IsOneCharacterRepeated(string v)
    {
        foreach (char c in v)
        {
            if (c != v[0])
            {
                return false;
            }
        }

        return true;
    }

    // "xxxxxxxx1234", "****abcd": a masked value somebody pasted from a console.
    private static bool IsMostlyMask(string v)
    {
        int mask = 0;
        foreach (char c in v)
        {
            if (c == '*' || c == 'x' || c == 'X' || c == '•' || c == '#')
            {
                mask++;
            }
        }

        return mask * 2 > v.Length;
    }
}
