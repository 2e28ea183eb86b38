using Microsoft.Extensions.Logging;

namespace Lepton.Cli.Serve;

/// <summary>Log messages of <see cref="TlsCertificateStore"/>.</summary>
internal sealed partial class TlsCertificateStore
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Extender TLS files changed: serving certificate {Subject}, valid until {NotAfter:o}.")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Extender TLS files changed but cannot be loaded; keeping the previous certificates: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
