using NhiGuard.Analyzers.Scopes;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.Scopes;

using Verify = Verify<OverBroadScopeAnalyzer>;

/// <summary>NHI101: a token request asks for an over-broad scope.</summary>
public sealed class OverBroadScopeTests
{
    [Fact]
    public Task MsalScopesInAnArray() => Verify.DiagnosticsAsync(
        """
        using Microsoft.Identity.Client;

        class Mail
        {
            object Interactive(IPublicClientApplication app) =>
                app.AcquireTokenInteractive(new[] { "User.Read", "[|Directory.ReadWrite.All|]" });
        }
        """,
        "Over-broad scope 'Directory.ReadWrite.All' (Microsoft Graph): grants read and write access to the whole directory");

    [Fact]
    public Task TheDefaultScopeOfTheClientCredentialsFlowIsNeverFlagged() => Verify.NoDiagnosticsAsync(
        """
        using Microsoft.Identity.Client;

        class Daemon
        {
            object Token(IConfidentialClientApplication app) =>
                app.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" });
        }
        """);

    [Fact]
    public Task ScopesInAStaticReadonlyFieldAreReportedWhereTheyAreWritten() => Verify.DiagnosticsAsync(
        """
        using Microsoft.Identity.Client;

        class Mail
        {
            private static readonly string[] Scopes = { "[|https://graph.microsoft.com/Mail.ReadWrite|]", "offline_access" };

            object Silent(IClientApplicationBase app, IAccount account) => app.AcquireTokenSilent(Scopes, account);
        }
        """,
        "Over-broad scope 'https://graph.microsoft.com/Mail.ReadWrite' (Microsoft Graph): grants read and write access to mailboxes");

    [Fact]
    public Task CollectionExpressionsAzureCoreAndTheGraphSdk() => Verify.DiagnosticsAsync(
        """
        using Azure.Core;
        using Microsoft.Graph;
        using Microsoft.Identity.Client;

        class Files
        {
            object Msal(IPublicClientApplication app) => app.AcquireTokenInteractive(["[|Files.ReadWrite.All|]"]);
            TokenRequestContext Context() => new(new[] { "[|https://graph.microsoft.com/Sites.FullControl.All|]" });
            GraphServiceClient Graph(TokenCredential credential) => new(credential, new[] { "[|Application.ReadWrite.All|]" });
        }
        """,
        "Over-broad scope 'Files.ReadWrite.All' (Microsoft Graph): grants read and write access to every file it can reach",
        "Over-broad scope 'https://graph.microsoft.com/Sites.FullControl.All' (Microsoft Graph): grants full control of every SharePoint site",
        "Over-broad scope 'Application.ReadWrite.All' (Microsoft Graph): grants control of every app registration and its credentials");

    [Fact]
    public Task OneSpaceSeparatedString() => Verify.DiagnosticsAsync(
        """
        using IdentityModel.Client;

        class Admin
        {
            ClientCredentialsTokenRequest Request() => new()
            {
                ClientId = "admin-tool",
                Scope = "api.read [|RoleManagement.ReadWrite.Directory|]",
            };
        }
        """,
        "Over-broad scope 'RoleManagement.ReadWrite.Directory' (Microsoft Graph): grants the right to assign any directory role, Global Administrator included");

    [Fact]
    public Task AspNetCoreOptionsScopeCollections() => Verify.DiagnosticsAsync(
        """
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.Extensions.DependencyInjection;

        static class Startup
        {
            static void Configure(AuthenticationBuilder auth)
            {
                auth.AddOpenIdConnect(options =>
                {
                    options.Scope.Add("openid");
                    options.Scope.Add("[|AppRoleAssignment.ReadWrite.All|]");
                });
                auth.AddGoogle(options => options.Scope.Add("[|https://www.googleapis.com/auth/drive|]"));
            }
        }
        """,
        "Over-broad scope 'AppRoleAssignment.ReadWrite.All' (Microsoft Graph): grants the right to grant any application permission, to itself too",
        "Over-broad scope 'https://www.googleapis.com/auth/drive' (Google): grants full access to every Google Drive file");

    [Fact]
    public Task GoogleCredentialsAndTheAuthorizationBroker() => Verify.DiagnosticsAsync(
        """
        using System.Threading;
        using Google.Apis.Auth.OAuth2;

        class GoogleScopes
        {
            GoogleCredential Scoped(GoogleCredential credential) => credential.CreateScoped("[|https://www.googleapis.com/auth/cloud-platform|]");

            object Broker(ClientSecrets secrets) =>
                GoogleWebAuthorizationBroker.AuthorizeAsync(secrets, new[] { "[|https://mail.google.com/|]" }, "user", CancellationToken.None);

            ServiceAccountCredential.Initializer Narrow() => new("svc@project.iam.gserviceaccount.test")
            {
                Scopes = new[] { "https://www.googleapis.com/auth/drive.file" },
            };
        }
        """,
        "Over-broad scope 'https://www.googleapis.com/auth/cloud-platform' (Google): grants access to every Google Cloud resource the identity can reach",
        "Over-broad scope 'https://mail.google.com/' (Google): grants full access to the Gmail mailbox, permanent deletion included");

    [Fact]
    public Task GoogleApiClientScopeFields() => Verify.DiagnosticsAsync(
        """
        using Google.Apis.Auth.OAuth2;
        using Google.Apis.Drive.v3;

        class Drive
        {
            // Google generates Scope.* as static fields without a constant value: known by name.
            GoogleCredential ByField(GoogleCredential c) => c.CreateScoped([|DriveService.Scope.Drive|]);
            GoogleCredential ByConstant(GoogleCredential c) => c.CreateScoped([|DriveService.ScopeConstants.Drive|]);
            GoogleCredential Narrow(GoogleCredential c) => c.CreateScoped(DriveService.Scope.DriveFile, DriveService.ScopeConstants.DriveFile);
        }
        """,
        "Over-broad scope 'https://www.googleapis.com/auth/drive' (Google): grants full access to every Google Drive file");

    [Fact]
    public Task FormBodiesAndAuthorizeUrls() => Verify.DiagnosticsAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Net.Http;

        class OAuth
        {
            HttpContent Body() => new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = "chat:write [|admin.users:write|]",
            });

            Uri Authorize() => new("https://github.test/login/oauth/authorize?client_id=app&scope=read:user%20[|repo|]");
        }
        """,
        "Over-broad scope 'admin.users:write' (Slack): grants administration of the workspace",
        "Over-broad scope 'repo' (GitHub): grants full control of private repositories");

    [Fact]
    public Task AWildcard() => Verify.DiagnosticsAsync(
        """
        using IdentityModel.Client;

        class Everything
        {
            PasswordTokenRequest Request() => new() { Scope = "[|*|]" };
        }
        """,
        "Over-broad scope '*' (any provider): grants every permission there is");

    [Fact]
    public Task ScopesFromConfigurationAndOtherStringsAreNotFlagged() => Verify.NoDiagnosticsAsync(
        """
        using System;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Identity.Client;

        class Mail(IConfiguration configuration)
        {
            object Interactive(IPublicClientApplication app) =>
                app.AcquireTokenInteractive(configuration.GetSection("Graph:Scopes").Get<string[]>()!);

            // Not a token request: documentation, logging, a permission check.
            void Log() => Console.WriteLine("requires Directory.ReadWrite.All");
            bool Has(string[] granted) => Array.IndexOf(granted, "Directory.ReadWrite.All") >= 0;
        }
        """);

    [Fact]
    public Task AProjectCanAllowAScopeAndForbidMore() => new AnalyzerCase<OverBroadScopeAnalyzer>
    {
        Sources =
        {
            """
            using Microsoft.Identity.Client;

            class Mail
            {
                object Token(IPublicClientApplication app) =>
                    app.AcquireTokenInteractive(new[] { "Mail.ReadWrite", "[|User.Read.All|]" });
            }
            """,
        },
        Options =
        {
            ["nhiguard.allowed_scopes"] = "Mail.ReadWrite",
            ["nhiguard.forbidden_scopes"] = "User.Read.All, Calendars.ReadWrite",
        },
        Messages = { "Over-broad scope 'User.Read.All' (this project's policy): grants a permission this project does not allow" },
    }.RunAsync();

    [Theory]
    [InlineData("Directory.ReadWrite.All", true)]
    [InlineData("https://graph.microsoft.com/Directory.ReadWrite.All", true)]
    [InlineData("directory.readwrite.all", true)]
    [InlineData("Directory.Read.All", false)]
    [InlineData("https://graph.microsoft.com/.default", false)]
    [InlineData("admin", true)]
    [InlineData("admin.conversations:write", true)]
    [InlineData("administrator", false)]
    [InlineData("public_repo", false)]
    [InlineData("https://www.googleapis.com/auth/drive.readonly", false)]
    public void TheCatalogMatchesWholeScopes(string scope, bool broad)
    {
        ScopeCatalog catalog = ScopeCatalog.For(new TestConfigOptionsProvider(new Dictionary<string, string>()).GlobalOptions);
        Assert.Equal(broad, catalog.Find(scope) is not null);
    }
}
