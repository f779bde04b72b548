using NhiGuard.Analyzers.Secrets;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.Secrets;

using Verify = Verify<HardCodedCredentialAnalyzer>;

/// <summary>
/// NHI001: a credential written in the code reaches an authentication sink. The values here are
/// words without digits, so that this file passes NhiGuard's own scan of the repository.
/// </summary>
public sealed class HardCodedCredentialTests
{
    // --- The sinks, one SDK at a time -------------------------------------------------------

    [Fact]
    public Task MsalClientSecret() => Verify.DiagnosticsAsync(
        """
        using Microsoft.Identity.Client;

        class TokenClient
        {
            IConfidentialClientApplication Build() =>
                ConfidentialClientApplicationBuilder.Create("11111111-2222-3333-4444-555555555555")
                    .WithClientSecret([|"correct-horse-battery-staple"|])
                    .Build();
        }
        """,
        "Hard-coded credential flows into ConfidentialClientApplicationBuilder.WithClientSecret(clientSecret)");

    [Fact]
    public Task MsalApplicationOptionsInAnObjectInitializer() => Verify.DiagnosticsAsync(
        """
        using Microsoft.Identity.Client;

        class TokenClient
        {
            ConfidentialClientApplicationOptions Options() => new()
            {
                ClientId = "11111111-2222-3333-4444-555555555555",
                ClientSecret = [|"correct-horse-battery-staple"|],
            };
        }
        """,
        "Hard-coded credential flows into ConfidentialClientApplicationOptions.ClientSecret");

    [Fact]
    public Task MsalUsernamePasswordFlow() => Verify.DiagnosticsAsync(
        """
        using Microsoft.Identity.Client;

        class TokenClient
        {
        #pragma warning disable CS0618 // obsolete, and still in use
            object Acquire(IPublicClientApplication app) =>
                app.AcquireTokenByUsernamePassword(new[] { "User.Read" }, "svc@contoso.test", [|"correct-horse-battery-staple"|]);
        #pragma warning restore CS0618
        }
        """,
        "Hard-coded credential flows into IPublicClientApplication.AcquireTokenByUsernamePassword(password)");

    [Fact]
    public Task AzureIdentityCredentials() => Verify.DiagnosticsAsync(
        """
        using Azure;
        using Azure.Identity;

        class Credentials
        {
            object Secret() => new ClientSecretCredential("tenant", "11111111-2222-3333-4444-555555555555", [|"correct-horse-battery-staple"|]);
            object Named() => new ClientSecretCredential(clientSecret: [|"correct-horse-battery-staple"|], clientId: "app", tenantId: "tenant");
            object User() => new UsernamePasswordCredential("svc@contoso.test", [|"correct-horse-battery-staple"|], "tenant", "app");
            object Key() => new AzureKeyCredential([|"correct-horse-battery-staple"|]);
            void Rotate(AzureKeyCredential key) => key.Update([|"battery-staple-horse-correct"|]);
            object OpenAi() => new System.ClientModel.ApiKeyCredential([|"correct-horse-battery-staple"|]);
        }
        """,
        "Hard-coded credential flows into ClientSecretCredential(clientSecret)",
        "Hard-coded credential flows into ClientSecretCredential(clientSecret)",
        "Hard-coded credential flows into UsernamePasswordCredential(password)",
        "Hard-coded credential flows into AzureKeyCredential(key)",
        "Hard-coded credential flows into ApiKeyCredential.Update(key)",
        "Hard-coded credential flows into ApiKeyCredential(key)");

    [Fact]
    public Task IdentityModelAndDuendeTokenRequests() => Verify.DiagnosticsAsync(
        """
        using System.Net.Http;
        using System.Threading.Tasks;
        using IdentityModel.Client;

        class TokenClient
        {
            Task<TokenResponse> Request(HttpClient http) => http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = "https://demo.identityserver.test/connect/token",
                ClientId = "m2m",
                ClientSecret = [|"correct-horse-battery-staple"|],
                Scope = "api",
            });

            object Password() => new PasswordTokenRequest { UserName = "bob", Password = [|"correct-horse-battery-staple"|] };

            object Duende() => new Duende.IdentityModel.Client.ClientCredentialsTokenRequest { ClientSecret = [|"correct-horse-battery-staple"|] };

            object Managed() => new Duende.AccessTokenManagement.ClientCredentialsClient { ClientSecret = [|"correct-horse-battery-staple"|] };
        }
        """,
        "Hard-coded credential flows into ProtocolRequest.ClientSecret",
        "Hard-coded credential flows into PasswordTokenRequest.Password",
        "Hard-coded credential flows into ProtocolRequest.ClientSecret",
        "Hard-coded credential flows into ClientCredentialsClient.ClientSecret");

    [Fact]
    public Task AspNetCoreAuthenticationOptions() => Verify.DiagnosticsAsync(
        """
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.Extensions.DependencyInjection;

        static class Startup
        {
            static void Configure(AuthenticationBuilder auth)
            {
                auth.AddOpenIdConnect(options =>
                {
                    options.Authority = "https://login.contoso.test";
                    options.ClientId = "web";
                    options.ClientSecret = [|"correct-horse-battery-staple"|];
                });
                auth.AddGoogle(options => options.ClientSecret = [|"correct-horse-battery-staple"|]);
                auth.AddFacebook(options => options.AppSecret = [|"correct-horse-battery-staple"|]);
            }
        }
        """,
        "Hard-coded credential flows into OpenIdConnectOptions.ClientSecret",
        "Hard-coded credential flows into OAuthOptions.ClientSecret",
        "Hard-coded credential flows into FacebookOptions.AppSecret");

    [Fact]
    public Task GoogleAwsAndOctokit() => Verify.DiagnosticsAsync(
        """
        using Amazon.Runtime;
        using Google.Apis.Auth.OAuth2;

        class Clouds
        {
            ClientSecrets Google() => new() { ClientId = "web.apps.googleusercontent.test", ClientSecret = [|"correct-horse-battery-staple"|] };
            AWSCredentials Aws() => new BasicAWSCredentials("AKIDCONTOSOACCESSKEY", [|"correct-horse-battery-staple"|]);
            AWSCredentials Session() => new SessionAWSCredentials("AKIDCONTOSOACCESSKEY", [|"correct-horse-battery-staple"|], [|"battery-staple-session"|]);
            Octokit.Credentials Token() => new([|"correct-horse-battery-staple"|]);
            Octokit.Credentials Basic() => new Octokit.Credentials("octocat", [|"correct-horse-battery-staple"|]);
        }
        """,
        "Hard-coded credential flows into ClientSecrets.ClientSecret",
        "Hard-coded credential flows into BasicAWSCredentials(secretKey)",
        "Hard-coded credential flows into SessionAWSCredentials(awsSecretAccessKey)",
        "Hard-coded credential flows into SessionAWSCredentials(token)",
        "Hard-coded credential flows into Credentials(token)",
        "Hard-coded credential flows into Credentials(password)");

    [Fact]
    public Task NetworkCredentialConstructorAndProperty() => Verify.DiagnosticsAsync(
        """
        using System.Net;

        class Mailer
        {
            NetworkCredential ByConstructor() => new NetworkCredential("svc", [|"correct-horse-battery-staple"|], "CONTOSO");
            NetworkCredential ByProperty() => new() { UserName = "svc", Password = [|"correct-horse-battery-staple"|] };
        }
        """,
        "Hard-coded credential flows into NetworkCredential(password)",
        "Hard-coded credential flows into NetworkCredential.Password");

    [Fact]
    public Task WeakDefaultPasswordIsACredential() => Verify.DiagnosticsAsync(
        """
        using System.Net;

        class Mailer
        {
            ICredentialsByHost Credentials() => new NetworkCredential("svc", [|"changeme"|]);
        }
        """,
        "Hard-coded credential flows into NetworkCredential(password)");

    [Fact]
    public Task BasicAndBearerAuthorizationHeaders() => Verify.DiagnosticsAsync(
        """
        using System;
        using System.Net.Http.Headers;
        using System.Text;

        class Api
        {
            AuthenticationHeaderValue Basic() =>
                new("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes([|"svc:" + "correct-horse-battery-staple"|])));

            AuthenticationHeaderValue Bearer() => new AuthenticationHeaderValue("Bearer", [|"correct-horse-battery-staple"|]);

            // Not a credential scheme: left alone.
            AuthenticationHeaderValue Other() => new AuthenticationHeaderValue("Negotiate", "correct-horse-battery-staple");
        }
        """,
        "Hard-coded credential flows into AuthenticationHeaderValue(parameter)");

    [Fact]
    public Task FormBodiesWithSecretFields() => Verify.DiagnosticsAsync(
        """
        using System.Collections.Generic;
        using System.Net.Http;

        class TokenClient
        {
            HttpContent Dictionary() => new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "m2m",
                ["client_secret"] = [|"correct-horse-battery-staple"|],
            });

            HttpContent Pairs() => new FormUrlEncodedContent(new[]
            {
                new KeyValuePair<string, string>("username", "bob"),
                new KeyValuePair<string, string>("password", [|"correct-horse-battery-staple"|]),
            });

            HttpContent Body() => new StringContent([|"grant_type=client_credentials&client_id=m2m&client_secret=correct-horse-battery-staple"|]);

            HttpContent Interpolated(string clientId) => new StringContent($"client_id={clientId}{|NHI001:&api_key=correct-horse-battery-staple|}");
        }
        """,
        "Hard-coded credential flows into 'client_secret' of FormUrlEncodedContent(nameValueCollection)",
        "Hard-coded credential flows into 'password' of FormUrlEncodedContent(nameValueCollection)",
        "Hard-coded credential flows into 'client_secret' of StringContent(content)",
        "Hard-coded credential flows into 'api_key' of StringContent(content)");

    [Fact]
    public Task QueryStringsInUrls() => Verify.DiagnosticsAsync(
        """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        class Weather
        {
            Task<string> Get(HttpClient http, string city) =>
                http.GetStringAsync($"{|NHI001:https://api.weather.test/v1?api_key=correct-horse-battery-staple&q=|}{city}");

            Uri Build() => new Uri([|"https://api.weather.test/v1?q=oslo&access_token=correct-horse-battery-staple"|]);

            // The key is there, the value is computed: fine.
            Task<string> Computed(HttpClient http, string key) => http.GetStringAsync("https://api.weather.test/v1?api_key=" + key);
        }
        """,
        "Hard-coded credential flows into 'api_key' of HttpClient.GetStringAsync(requestUri)",
        "Hard-coded credential flows into 'access_token' of Uri(uriString)");

    [Fact]
    public Task AuthorizationAndApiKeyHeaders() => Verify.DiagnosticsAsync(
        """
        using System.Net.Http;

        class Api
        {
            void Configure(HttpClient http, HttpRequestMessage request)
            {
                http.DefaultRequestHeaders.Add("X-Api-Key", [|"correct-horse-battery-staple"|]);
                request.Headers.TryAddWithoutValidation("Authorization", [|"Bearer correct-horse-battery-staple"|]);

                // Not credentials: other headers, and a scheme with a placeholder.
                http.DefaultRequestHeaders.Add("User-Agent", "contoso-client");
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer <token>");
            }
        }
        """,
        "Hard-coded credential flows into 'X-Api-Key' of HttpHeaders.Add(value)",
        "Hard-coded credential flows into 'Authorization' of HttpHeaders.TryAddWithoutValidation(value)");

    [Fact]
    public Task ContextDecidesNotShape() => Verify.DiagnosticsAsync(
        """
        using System.Security.Cryptography.X509Certificates;
        using Google.Apis.Auth.OAuth2;
        using Microsoft.Identity.Client;

        class Context
        {
            // The same GUID is an identifier as a client id and a secret as a client secret.
            object Msal() => ConfidentialClientApplicationBuilder.Create("{{rand:hex:8}}-{{rand:hex:4}}-{{rand:hex:4}}-{{rand:hex:4}}-{{rand:hex:12}}")
                .WithClientSecret([|"{{rand:hex:8}}-{{rand:hex:4}}-{{rand:hex:4}}-{{rand:hex:4}}-{{rand:hex:12}}"|])
                .Build();

            // Forty hex digits are public as a certificate thumbprint and secret as an OAuth client secret.
            X509Certificate2Collection Thumbprint(X509Store store) => store.Certificates.Find(X509FindType.FindByThumbprint, "{{rand:hex:40}}", validOnly: true);
            ClientSecrets GitHubStyle() => new() { ClientSecret = [|"{{rand:hex:40}}"|] };
        }
        """,
        "Hard-coded credential flows into ConfidentialClientApplicationBuilder.WithClientSecret(clientSecret)",
        "Hard-coded credential flows into ClientSecrets.ClientSecret");

    // --- How the value is followed ----------------------------------------------------------

    [Fact]
    public Task ASinkIsFoundWhereverTheCallIsWritten() => Verify.DiagnosticsAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Net;

        class Base
        {
            protected Base(NetworkCredential credential) { }
        }

        class Mailer : Base
        {
            static readonly NetworkCredential Field = new("svc", [|"correct-horse-battery-staple"|]);
            NetworkCredential Property { get; } = new NetworkCredential("svc", [|"correct-horse-battery-staple"|]);
            Func<NetworkCredential> Lambda = () => new NetworkCredential("svc", [|"correct-horse-battery-staple"|]);

            Mailer() : base(new NetworkCredential("svc", [|"correct-horse-battery-staple"|])) { }

            void Nested(List<NetworkCredential> all) => all.Add(new NetworkCredential("svc", [|"correct-horse-battery-staple"|]));

            NetworkCredential LocalFunction()
            {
                return Make();

                static NetworkCredential Make() => new NetworkCredential("svc", [|"correct-horse-battery-staple"|]);
            }

            NetworkCredential Switch(int kind) => kind switch
            {
                0 => new NetworkCredential("svc", [|"correct-horse-battery-staple"|]),
                _ => new NetworkCredential { UserName = "svc", Password = [|"correct-horse-battery-staple"|] },
            };
        }
        """,
        "Hard-coded credential flows into NetworkCredential(password)",
        "Hard-coded credential flows into NetworkCredential(password)",
        "Hard-coded credential flows into NetworkCredential(password)",
        "Hard-coded credential flows into NetworkCredential(password)",
        "Hard-coded credential flows into NetworkCredential(password)",
        "Hard-coded credential flows into NetworkCredential(password)",
        "Hard-coded credential flows into NetworkCredential(password)",
        "Hard-coded credential flows into NetworkCredential.Password");


    [Fact]
    public Task ConstantsAndStaticReadonlyFieldsAreReportedWhereTheyAreWritten() => Verify.DiagnosticsAsync(
        """
        using Azure.Identity;

        class Credentials
        {
            private const string Secret = [|"correct-horse-battery-staple"|];
            private static readonly string Other = [|"battery-staple-horse-correct"|];

            object First() => new ClientSecretCredential("tenant", "app", Secret);
            object Second() => new ClientSecretCredential("tenant", "app", Other);
        }
        """,
        "Hard-coded credential flows into ClientSecretCredential(clientSecret)");

    [Fact]
    public Task LocalsInitialisedFromALiteralOrAConstant() => Verify.DiagnosticsAsync(
        """
        using System.Net;

        class Mailer
        {
            const string Password = [|"correct-horse-battery-staple"|];

            NetworkCredential FromLiteral()
            {
                var password = [|"battery-staple-horse-correct"|];
                return new NetworkCredential("svc", password);
            }

            NetworkCredential FromConstant()
            {
                const string local = Password;
                string copy = local;
                return new NetworkCredential("svc", copy);
            }
        }
        """,
        "Hard-coded credential flows into NetworkCredential(password)");

    [Fact]
    public Task ConcatenationAndInterpolationOfConstants() => Verify.DiagnosticsAsync(
        """
        using System.Net;

        class Mailer
        {
            const string Prefix = "correct-horse";

            NetworkCredential Concatenated() => new("svc", [|Prefix + "-battery-staple"|]);
            NetworkCredential Interpolated() => new("svc", [|$"{Prefix}-battery-staple"|]);
            NetworkCredential Concat() => new("svc", [|string.Concat(Prefix, "-battery-staple")|]);
        }
        """,
        "Hard-coded credential flows into NetworkCredential(password)");

    [Fact]
    public Task AHardCodedFallbackIsACredential() => Verify.DiagnosticsAsync(
        """
        using System.Net;
        using Microsoft.Extensions.Configuration;

        class Mailer(IConfiguration configuration)
        {
            NetworkCredential Coalesce() => new("svc", configuration["Smtp:Password"] ?? [|"correct-horse-battery-staple"|]);
            NetworkCredential Conditional(bool local) => new("svc", local ? [|"correct-horse-battery-staple"|] : configuration["Smtp:Password"]);
        }
        """,
        "Hard-coded credential flows into NetworkCredential(password)");

    [Fact]
    public Task AConstantInAnotherFileIsReportedAtTheArgument() => new AnalyzerCase<HardCodedCredentialAnalyzer>
    {
        Sources =
        {
            """
            using System.Net;

            class Mailer
            {
                NetworkCredential Credentials() => new("svc", [|Settings.Password|]);
            }
            """,
            """
            static class Settings
            {
                public const string Password = "correct-horse-battery-staple";
            }
            """,
        },
        Messages = { "Hard-coded credential flows into NetworkCredential(password)" },
    }.RunAsync();

    [Fact]
    public Task TypeAliasesAndTargetTypedNew() => Verify.DiagnosticsAsync(
        """
        using Cred = System.Net.NetworkCredential;

        class Mailer
        {
            Cred Aliased() => new Cred("svc", [|"correct-horse-battery-staple"|]);
            System.Net.NetworkCredential TargetTyped() => new("svc", [|"correct-horse-battery-staple"|]);
        }
        """,
        "Hard-coded credential flows into NetworkCredential(password)");

    [Fact]
    public Task GeneratedCodeIsAnalysed() => Verify.DiagnosticsAsync(
        """
        // <auto-generated/>
        using System.Net;

        class Generated
        {
            NetworkCredential Credentials() => new("svc", [|"correct-horse-battery-staple"|]);
        }
        """,
        "Hard-coded credential flows into NetworkCredential(password)");

    // --- What is never reported -------------------------------------------------------------

    [Fact]
    public Task ValuesFromConfigurationEnvironmentAndParametersAreNeverFlagged() => Verify.NoDiagnosticsAsync(
        """
        using System;
        using System.Net;
        using Azure.Identity;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Identity.Client;

        class Credentials(IConfiguration configuration)
        {
            NetworkCredential FromConfiguration() => new("svc", configuration["Smtp:Password"]);
            NetworkCredential FromEnvironment() => new("svc", Environment.GetEnvironmentVariable("SMTP_PASSWORD"));
            NetworkCredential FromParameter(string password) => new("svc", password);
            object FromSection() => new ClientSecretCredential("tenant", "app", configuration.GetSection("AzureAd")["ClientSecret"]);
            object Msal(string secret) => ConfidentialClientApplicationBuilder.Create("app").WithClientSecret(secret).Build();
        }
        """);

    [Theory]
    [InlineData("")]
    [InlineData("<client-secret>")]
    [InlineData("YOUR_CLIENT_SECRET")]
    [InlineData("${CLIENT_SECRET}")]
    [InlineData("xxxxxxxxxxxxxxxx")]
    [InlineData("fake-client-secret-for-tests")]
    public Task PlaceholdersAreNotFlagged(string placeholder) => Verify.NoDiagnosticsAsync(
        $$"""
        using Microsoft.Identity.Client;

        class TokenClient
        {
            object Build() => ConfidentialClientApplicationBuilder.Create("app").WithClientSecret("{{placeholder}}").Build();
        }
        """);

    [Fact]
    public Task AwsDocumentedExampleKeysAreNotFlagged() => Verify.NoDiagnosticsAsync(
        """
        using Amazon.Runtime;

        class Docs
        {
            AWSCredentials Example() => new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        }
        """);

    [Fact]
    public Task TestDoublesAreNotFlagged() => Verify.NoDiagnosticsAsync(
        """
        using System.Net;

        class FakeMailer
        {
            NetworkCredential Credentials() => new("svc", "correct-horse-battery-staple");
        }

        class Mailer
        {
            private const string TestPassword = "correct-horse-battery-staple";

            NetworkCredential DummyCredentials() => new("svc", "correct-horse-battery-staple");
            NetworkCredential ForTests() => new("svc", TestPassword);
        }

        class MailerTests
        {
            NetworkCredential Credentials() => new("svc", "correct-horse-battery-staple");
        }
        """);

    [Fact]
    public Task IdentifiersBesideTheSecretAreNotFlagged() => Verify.NoDiagnosticsAsync(
        """
        using Azure.Identity;
        using Microsoft.Identity.Client;

        class Credentials
        {
            // Tenant and client ids are identifiers, even where a secret sits beside them.
            object Azure(string secret) => new ClientSecretCredential("72f988bf-86f1-41af-91ab-2d7cd011db47", "11111111-2222-3333-4444-555555555555", secret);
            object Msal() => ConfidentialClientApplicationBuilder.Create("11111111-2222-3333-4444-555555555555").Build();
        }
        """);

    [Fact]
    public Task AReassignedLocalIsNotFollowed() => Verify.NoDiagnosticsAsync(
        """
        using System.Net;
        using Microsoft.Extensions.Configuration;

        class Mailer(IConfiguration configuration)
        {
            NetworkCredential Credentials()
            {
                string password = "correct-horse-battery-staple";
                password = configuration["Smtp:Password"] ?? "";
                return new NetworkCredential("svc", password);
            }
        }
        """);

    [Fact]
    public Task MutableAndInstanceFieldsAreNotFollowed() => Verify.NoDiagnosticsAsync(
        """
        using System.Net;

        class Mailer
        {
            private static string _shared = "correct-horse-battery-staple";
            private readonly string _password = "correct-horse-battery-staple";

            NetworkCredential Shared() => new("svc", _shared);
            NetworkCredential Instance() => new("svc", _password);
        }
        """);

    [Fact]
    public Task PropertiesWithTheSameNameOnOtherTypesAreNotSinks() => Verify.NoDiagnosticsAsync(
        """
        class AppSettings
        {
            public string? ClientSecret { get; set; }
            public string? Password { get; set; }
        }

        class Defaults
        {
            AppSettings Create() => new() { ClientSecret = "correct-horse-battery-staple", Password = "correct-horse-battery-staple" };
        }
        """);

    [Fact]
    public Task NonSecretFormFieldsAreNotFlagged() => Verify.NoDiagnosticsAsync(
        """
        using System.Collections.Generic;
        using System.Net.Http;

        class TokenClient
        {
            HttpContent Body(string secret) => new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = "https://graph.microsoft.com/.default",
                ["client_secret"] = secret,
            });
        }
        """);
}
