// Stand-in for the generated Google.Apis.Drive.v3 client: its scope fields, as Google generates them
// (Scope: static fields with no constant value; ScopeConstants: constants).
namespace Google.Apis.Drive.v3
{
    public class DriveService
    {
        public class Scope
        {
            public static string Drive = "https://www.googleapis.com/auth/drive";
            public static string DriveFile = "https://www.googleapis.com/auth/drive.file";
        }

        public static class ScopeConstants
        {
            public const string Drive = "https://www.googleapis.com/auth/drive";
            public const string DriveFile = "https://www.googleapis.com/auth/drive.file";
        }
    }
}
