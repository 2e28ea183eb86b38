using Microsoft.Extensions.Logging;

namespace Lepton.Models.Inference;

/// <content>Log messages.</content>
public sealed partial class ScoringModelHost
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Loaded model {Path} on the {Provider} execution provider (sha256 {Hash}…).")]
    private static partial void LogLoaded(ILogger logger, string path, string provider, string hash);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "CUDA execution provider unavailable, running the model on the CPU: {Reason}")]
    private static partial void LogCudaUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "No usable model ({Reason}): {Message}")]
    private static partial void LogUnavailable(ILogger logger, string reason, string message);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Inference with model {Path} failed: {Message}")]
    private static partial void LogInferenceFailed(ILogger logger, string path, string message);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Polling model file {Path} failed: {Message}")]
    private static partial void LogPollFailed(ILogger logger, string path, string message);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Model {Path} produced NaN or infinite scores {Runs} times in a row; it counts as not loaded (lepton_model_loaded 0) and scoring falls back until it scores finitely again.")]
    private static partial void LogUnusable(ILogger logger, string path, int runs);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Model {Path} scores finitely again.")]
    private static partial void LogUsableAgain(ILogger logger, string path);
}
