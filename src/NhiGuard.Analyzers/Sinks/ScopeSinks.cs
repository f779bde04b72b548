namespace NhiGuard.Analyzers.Sinks;

/// <summary>The SDK members that request OAuth scopes (NHI101). The rule page lists the same members.</summary>
internal static class ScopeSinks
{
    private const string Ctor = Sink.Constructor;
    private const string Msal = "Microsoft.Identity.Client.";

    public static readonly Sink[] All =
    {
        // MSAL: every token request names its scopes
        new(Msal + "IConfidentialClientApplication", "AcquireTokenForClient", "scopes", SinkValueKind.Scopes),
        new(Msal + "IConfidentialClientApplication", "AcquireTokenOnBehalfOf", "scopes", SinkValueKind.Scopes),
        new(Msal + "IConfidentialClientApplication", "AcquireTokenByAuthorizationCode", "scopes", SinkValueKind.Scopes),
        new(Msal + "IConfidentialClientApplication", "GetAuthorizationRequestUrl", "scopes", SinkValueKind.Scopes),
        new(Msal + "IClientApplicationBase", "AcquireTokenSilent", "scopes", SinkValueKind.Scopes),
        new(Msal + "IPublicClientApplication", "AcquireTokenInteractive", "scopes", SinkValueKind.Scopes),
        new(Msal + "IPublicClientApplication", "AcquireTokenWithDeviceCode", "scopes", SinkValueKind.Scopes),
        new(Msal + "IPublicClientApplication", "AcquireTokenByIntegratedWindowsAuth", "scopes", SinkValueKind.Scopes),
        new(Msal + "IPublicClientApplication", "AcquireTokenByUsernamePassword", "scopes", SinkValueKind.Scopes),

        // Azure.Core and the Microsoft Graph SDK
        new("Azure.Core.TokenRequestContext", Ctor, "scopes", SinkValueKind.Scopes),
        new("Microsoft.Graph.GraphServiceClient", Ctor, "scopes", SinkValueKind.Scopes),

        // IdentityModel, Duende: one space-separated string
        new("IdentityModel.Client.ClientCredentialsTokenRequest", "Scope", null, SinkValueKind.Scopes),
        new("IdentityModel.Client.PasswordTokenRequest", "Scope", null, SinkValueKind.Scopes),
        new("Duende.IdentityModel.Client.ClientCredentialsTokenRequest", "Scope", null, SinkValueKind.Scopes),
        new("Duende.AccessTokenManagement.ClientCredentialsClient", "Scope", null, SinkValueKind.Scopes),

        // ASP.NET Core: options.Scope.Add("...")
        new("Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions", "Scope", null, SinkValueKind.ScopeCollection),
        new("Microsoft.AspNetCore.Authentication.OAuth.OAuthOptions", "Scope", null, SinkValueKind.ScopeCollection),

        // Google
        new("Google.Apis.Auth.OAuth2.GoogleCredential", "CreateScoped", "scopes", SinkValueKind.Scopes),
        new("Google.Apis.Auth.OAuth2.GoogleWebAuthorizationBroker", "AuthorizeAsync", "scopes", SinkValueKind.Scopes),
        new("Google.Apis.Auth.OAuth2.ServiceCredential+Initializer", "Scopes", null, SinkValueKind.Scopes),

        // Form bodies and URLs: scope=...
        new("System.Net.Http.FormUrlEncodedContent", Ctor, "nameValueCollection", SinkValueKind.FormFields),
        new("System.Net.Http.StringContent", Ctor, "content", SinkValueKind.QueryString),
        new("System.Net.Http.HttpRequestMessage", Ctor, "requestUri", SinkValueKind.QueryString),
        new("System.Uri", Ctor, "uriString", SinkValueKind.QueryString),
    };
}
