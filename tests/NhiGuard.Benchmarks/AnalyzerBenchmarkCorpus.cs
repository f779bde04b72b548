using System.Globalization;
using System.Text;

namespace NhiGuard.Benchmarks;

/// <summary>
/// A seeded body of service code for the analyzers benchmark: options records, DTOs, business
/// logic heavy in literals (log messages, error codes, URLs), and the identity plumbing the
/// analyzers look at — HttpClient calls, MSAL confidential clients, Azure.Identity credentials,
/// JWT issuing and validation. About one file in forty hard-codes a credential, so every rule
/// under test has something to report. Compiles without errors against the real SDKs.
/// </summary>
internal sealed class AnalyzerBenchmarkCorpus
{
    public const int Version = 1;

    private static readonly string[] Areas = ["Billing", "Orders", "Identity", "Catalog", "Shipping", "Reporting", "Payments", "Inventory", "Notifications", "Accounts"];
    private static readonly string[] Nouns = ["Invoice", "Customer", "Order", "Tenant", "Product", "Shipment", "Report", "Payment", "Ledger", "Subscription", "Warehouse", "Contract"];
    private static readonly string[] Kinds = ["Service", "Client", "Processor", "Handler", "Gateway", "Repository", "Synchronizer"];
    private static readonly string[] Verbs = ["Load", "Sync", "Refresh", "Export", "Import", "Validate", "Resolve", "Reconcile", "Publish", "Archive"];
    private static readonly string[] Words = ["pending", "settled", "overdue", "draft", "archived", "rejected", "approved", "queued", "failed", "retrying"];

    private readonly Random _random;

    public AnalyzerBenchmarkCorpus(int seed) => _random = new Random(seed);

    public int SeededSecrets { get; private set; }

    /// <summary>The files, as (path, text); the first one declares the shared options type.</summary>
    public List<(string Path, string Text)> Generate(int files)
    {
        var result = new List<(string, string)> { ("Shared/ServiceOptions.cs", SharedOptions) };
        for (int i = 0; i < files - 1; i++)
        {
            string area = Pick(Areas);
            string name = $"{Pick(Nouns)}{Pick(Kinds)}{i.ToString(CultureInfo.InvariantCulture)}";
            result.Add(($"{area}/{name}.cs", File(area, name)));
        }

        return result;
    }

    private const string SharedOptions = """
        using System;

        namespace Contoso.Shared;

        public sealed class ServiceOptions
        {
            public string TenantId { get; set; } = "";
            public string ClientId { get; set; } = "";
            public string ClientSecret { get; set; } = "";
            public string BaseUrl { get; set; } = "https://api.contoso.example";
            public string SigningKey { get; set; } = "";
            public string Audience { get; set; } = "api://contoso";
            public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
            public int MaxRetries { get; set; } = 3;
        }
        """;

    private string File(string area, string name)
    {
        var s = new StringBuilder(8192);
        s.Append("""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Net.Http;
            using System.Text;
            using System.Threading;
            using System.Threading.Tasks;
            using Azure.Core;
            using Azure.Identity;
            using Contoso.Shared;
            using Microsoft.Identity.Client;
            using Microsoft.IdentityModel.Tokens;
            using System.IdentityModel.Tokens.Jwt;
            using System.Security.Claims;

            """);
        s.Append(CultureInfo.InvariantCulture, $"namespace Contoso.{area}.{Pick(Nouns)}s;\n\n");
        s.Append(CultureInfo.InvariantCulture, $"public sealed record {name}Item(string Id, string Status, decimal Amount, DateTime CreatedUtc, string? Note);\n\n");
        s.Append(CultureInfo.InvariantCulture, $"public sealed class {name}\n{{\n");
        s.Append("    private readonly HttpClient _http;\n    private readonly ServiceOptions _options;\n    private readonly List<string> _log = new();\n");
        bool secret = _random.Next(40) == 0;
        if (secret)
        {
            SeededSecrets++;
            s.Append(CultureInfo.InvariantCulture, $"    private const string Password = \"{Secret(18)}\";\n");
        }

        s.Append(CultureInfo.InvariantCulture, $"\n    public {name}(HttpClient http, ServiceOptions options)\n    {{\n        _http = http;\n        _options = options;\n    }}\n");
        int members = 4 + _random.Next(6);
        for (int m = 0; m < members; m++)
        {
            s.Append('\n');
            string method = $"{Pick(Verbs)}{Pick(Nouns)}{m.ToString(CultureInfo.InvariantCulture)}";
            switch (_random.Next(10))
            {
                case 0: Msal(s, method, secret && m == 0); break;
                case 1: AzureCredential(s, method, secret && m == 0); break;
                case 2: Jwt(s, method, name); break;
                case 3 or 4: Http(s, method, name); break;
                case 5 or 6: Logic(s, method, name); break;
                case 7: Validation(s, method, name); break;
                default: Formatting(s, method, name); break;
            }
        }

        s.Append("}\n");
        return s.ToString();
    }

    private void Msal(StringBuilder s, string method, bool hardCoded)
    {
        string secret = hardCoded ? $"\"{Secret(34)}\"" : "_options.ClientSecret";
        s.Append(CultureInfo.InvariantCulture, $$"""
                public async Task<string> {{method}}Async(CancellationToken cancellationToken)
                {
                    IConfidentialClientApplication app = ConfidentialClientApplicationBuilder.Create(_options.ClientId)
                        .WithClientSecret({{secret}})
                        .WithAuthority(new Uri($"https://login.microsoftonline.com/{_options.TenantId}"))
                        .Build();
                    AuthenticationResult result = await app.AcquireTokenForClient(new[] { "{{Pick(["https://graph.microsoft.com/.default", "api://contoso-orders/.default", "https://management.azure.com/.default"])}}" })
                        .ExecuteAsync(cancellationToken);
                    _log.Add($"token for {_options.ClientId} expires {result.ExpiresOn:O}");
                    return result.AccessToken;
                }

            """);
    }

    private void AzureCredential(StringBuilder s, string method, bool hardCoded)
    {
        string secret = hardCoded ? $"\"{Secret(34)}\"" : "_options.ClientSecret";
        s.Append(CultureInfo.InvariantCulture, $$"""
                public async Task<string> {{method}}Async(bool useDefault, CancellationToken cancellationToken)
                {
                    TokenCredential credential = useDefault
                        ? new DefaultAzureCredential()
                        : new ClientSecretCredential(_options.TenantId, _options.ClientId, {{secret}});
                    AccessToken token = await credential.GetTokenAsync(new TokenRequestContext(new[] { "{{Pick(["https://storage.azure.com/.default", "https://vault.azure.net/.default", "https://management.azure.com/.default"])}}" }), cancellationToken);
                    if (token.ExpiresOn < DateTimeOffset.UtcNow.AddMinutes({{_random.Next(1, 10)}}))
                    {
                        _log.Add("token close to expiry, refreshing");
                    }

                    return token.Token;
                }

            """);
    }

    private void Jwt(StringBuilder s, string method, string name)
    {
        s.Append(CultureInfo.InvariantCulture, $$"""
                public string {{method}}(string subject, IEnumerable<string> roles)
                {
                    var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_options.SigningKey));
                    var claims = new List<Claim> { new("sub", subject), new("svc", "{{name}}") };
                    claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
                    var descriptor = new SecurityTokenDescriptor
                    {
                        Subject = new ClaimsIdentity(claims),
                        Issuer = "https://issuer.contoso.example",
                        Audience = _options.Audience,
                        Expires = DateTime.UtcNow.AddMinutes({{_random.Next(5, 60)}}),
                        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
                    };
                    var handler = new JwtSecurityTokenHandler();
                    return handler.WriteToken(handler.CreateToken(descriptor));
                }

                public TokenValidationParameters {{method}}Parameters() => new()
                {
                    ValidateIssuer = true,
                    ValidIssuer = "https://issuer.contoso.example",
                    ValidateAudience = true,
                    ValidAudience = _options.Audience,
                    ValidateLifetime = true,
                    ClockSkew = TimeSpan.FromMinutes({{_random.Next(1, 5)}}),
                    IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_options.SigningKey)),
                };

            """);
    }

    private void Http(StringBuilder s, string method, string name)
    {
        string path = $"/api/v{_random.Next(1, 4)}/{Pick(Nouns).ToLowerInvariant()}s";
        s.Append(CultureInfo.InvariantCulture, $$"""
                public async Task<IReadOnlyList<{{name}}Item>> {{method}}Async(string id, string? status, CancellationToken cancellationToken)
                {
                    if (string.IsNullOrWhiteSpace(id))
                    {
                        throw new ArgumentException("an id is required", nameof(id));
                    }

                    string url = $"{_options.BaseUrl}{{path}}/{Uri.EscapeDataString(id)}?status={status ?? "{{Pick(Words)}}"}&take={{_random.Next(10, 500)}}";
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.Add("X-Request-Id", Guid.NewGuid().ToString("N"));
                    request.Headers.Add("Accept", "application/json");
                    for (int attempt = 0; attempt <= _options.MaxRetries; attempt++)
                    {
                        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
                        if ((int)response.StatusCode == 429 || (int)response.StatusCode >= 500)
                        {
                            _log.Add($"attempt {attempt} of {{method}} failed with {(int)response.StatusCode}");
                            await Task.Delay(TimeSpan.FromMilliseconds({{_random.Next(100, 900)}} * (attempt + 1)), cancellationToken);
                            continue;
                        }

                        response.EnsureSuccessStatusCode();
                        string body = await response.Content.ReadAsStringAsync(cancellationToken);
                        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                            .Select(line => line.Split(','))
                            .Where(cells => cells.Length >= 4)
                            .Select(cells => new {{name}}Item(cells[0], cells[1], decimal.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture), DateTime.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture), cells.Length > 4 ? cells[4] : null))
                            .ToList();
                    }

                    throw new HttpRequestException($"{{method}}: gave up after {_options.MaxRetries} retries for {id}");
                }

            """);
    }

    private void Logic(StringBuilder s, string method, string name)
    {
        string[] w = Words.OrderBy(_ => _random.Next()).Take(3).ToArray();
        s.Append(CultureInfo.InvariantCulture, $$"""
                public IReadOnlyDictionary<string, decimal> {{method}}(IEnumerable<{{name}}Item> items, DateTime since)
                {
                    var totals = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
                    foreach (var item in items.Where(i => i.CreatedUtc >= since && i.Amount > {{_random.Next(0, 100)}}m))
                    {
                        string bucket = item.Status switch
                        {
                            "{{w[0]}}" => "open",
                            "{{w[1]}}" or "{{w[2]}}" => "closed",
                            _ when item.Amount > {{_random.Next(1000, 9000)}}m => "large",
                            _ => "other",
                        };
                        totals[bucket] = totals.TryGetValue(bucket, out decimal sum) ? sum + item.Amount : item.Amount;
                    }

                    if (totals.Count == 0)
                    {
                        _log.Add("{{method}}: nothing since " + since.ToString("yyyy-MM-dd"));
                    }

                    return totals;
                }

            """);
    }

    private void Validation(StringBuilder s, string method, string name)
    {
        s.Append(CultureInfo.InvariantCulture, $$"""
                public IReadOnlyList<string> {{method}}({{name}}Item item)
                {
                    var errors = new List<string>();
                    if (item.Id.Length != {{_random.Next(8, 40)}})
                    {
                        errors.Add("E{{_random.Next(1000, 9999)}}: id must be {{_random.Next(8, 40)}} characters");
                    }

                    if (item.Amount < 0 || item.Amount > {{_random.Next(10000, 99999)}}m)
                    {
                        errors.Add($"E{{_random.Next(1000, 9999)}}: amount {item.Amount} out of range");
                    }

                    if (item.Note is { Length: > {{_random.Next(100, 500)}} })
                    {
                        errors.Add("E{{_random.Next(1000, 9999)}}: note too long");
                    }

                    if (!new[] { "{{Pick(Words)}}", "{{Pick(Words)}}", "{{Pick(Words)}}" }.Contains(item.Status))
                    {
                        errors.Add($"E{{_random.Next(1000, 9999)}}: unknown status '{item.Status}'");
                    }

                    return errors;
                }

            """);
    }

    private void Formatting(StringBuilder s, string method, string name)
    {
        s.Append(CultureInfo.InvariantCulture, $$"""
                public string {{method}}(IReadOnlyList<{{name}}Item> items)
                {
                    var text = new StringBuilder();
                    text.AppendLine("Id;Status;Amount;Created;Note");
                    foreach (var item in items.OrderBy(i => i.CreatedUtc).ThenBy(i => i.Id, StringComparer.Ordinal))
                    {
                        text.Append(item.Id).Append(';')
                            .Append(item.Status.ToUpperInvariant()).Append(';')
                            .Append(item.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)).Append(';')
                            .Append(item.CreatedUtc.ToString("O")).Append(';')
                            .AppendLine(item.Note?.Replace(";", ",") ?? "-");
                    }

                    text.AppendLine($"# {items.Count} rows, total {items.Sum(i => i.Amount):0.00}, generated by {{name}}");
                    return text.ToString();
                }

            """);
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    private string Secret(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-";
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = alphabet[_random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
