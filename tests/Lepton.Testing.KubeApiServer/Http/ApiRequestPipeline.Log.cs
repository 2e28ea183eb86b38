using Microsoft.Extensions.Logging;

namespace Lepton.Testing.KubeApiServer.Http;

internal sealed partial class ApiRequestPipeline
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Unexpected failure serving {Method} {Path}; answered 500 InternalError")]
        public static partial void UnexpectedFailure(ILogger logger, string method, string path, Exception exception);

        [LoggerMessage(2, LogLevel.Debug, "{Method} {Path} failed with {Code} {Reason}: {Message}")]
        public static partial void ApiError(ILogger logger, string method, string path, int code, string reason, string message);
    }
}
