using Lepton.Models.Onnx;

namespace Lepton.Models.Inference;

/// <summary>
/// The seam between feature extraction and inference (house style 17): scores a batch of
/// feature rows in one call. Implementations are thread-safe.
/// </summary>
/// <example>
/// <code>
/// var reason = model.Run(features, rows, scores);
/// if (reason != FallbackReason.None) { /* use the heuristic, count reason */ }
/// </code>
/// </example>
public interface IScoringModel
{
    /// <summary>The layout the model reads.</summary>
    ModelSchema Schema { get; }

    /// <summary>The execution provider running now (<c>cpu</c>, <c>cuda</c>, <c>managed</c>), or <c>none</c> when no model is loaded.</summary>
    string Provider { get; }

    /// <summary>Runs the model on a row-major [rows, features] batch.</summary>
    /// <param name="features">At least rows × features floats (may be longer: a pooled buffer).</param>
    /// <param name="rows">The row count.</param>
    /// <param name="scores">Receives rows × outputs floats (may be longer).</param>
    /// <returns><see cref="FallbackReason.None"/> when the model ran; otherwise why it did not.</returns>
    FallbackReason Run(float[] features, int rows, float[] scores);
}
