using Microsoft.Extensions.Logging;

namespace Lepton.Models.Scoring;

/// <content>Log messages.</content>
public sealed partial class LearnedScorer
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Learned scorer falls back to FGD scores ({Reason}); requests still succeed. Logged once per change of reason; lepton_scoring_fallback_total counts every call.")]
    private static partial void LogFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Learned scorer uses the model again ({Provider}).")]
    private static partial void LogModelBack(ILogger logger, string provider);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "The scoring model threw {Type}: {Message}")]
    private static partial void LogModelThrew(ILogger logger, string type, string message);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Learned scorer defers every pod to FGD ({Reason}): the typical-task mix has a class that constrains the GPU model, which the policy was not trained on. Logged once per change; lepton_learned_scorer_deferred_total counts every call.")]
    private static partial void LogMixOutOfDistribution(ILogger logger, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Learned scorer scores with the model again: the typical-task mix has no class that constrains the GPU model.")]
    private static partial void LogMixInDistribution(ILogger logger);
}
