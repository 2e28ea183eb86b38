namespace Lepton.Simulator.Timeline;

/// <summary>The command-line names of <see cref="QueueOrder"/> (<c>fifo</c>, <c>sjf-oracle</c>, ...).</summary>
public static class QueueOrders
{
    private static readonly (QueueOrder Order, string Name)[] Names =
    [
        (QueueOrder.Fifo, "fifo"),
        (QueueOrder.Priority, "priority"),
        (QueueOrder.Las, "las"),
        (QueueOrder.SjfOracle, "sjf-oracle"),
        (QueueOrder.SjfPredicted, "sjf-predicted"),
    ];

    /// <summary>Every name, comma-separated, for messages.</summary>
    public static string All => string.Join(", ", Names.Select(n => n.Name));

    /// <summary>The command-line name of an order.</summary>
    /// <param name="order">The order.</param>
    /// <returns>The name.</returns>
    public static string NameOf(QueueOrder order) => Names.First(n => n.Order == order).Name;

    /// <summary>Parses a name (case-insensitive; <c>sjfpredicted</c> and <c>SjfPredicted</c> are accepted too).</summary>
    /// <param name="text">The text.</param>
    /// <param name="order">The order.</param>
    /// <returns>False when the name is unknown.</returns>
    public static bool TryParse(string text, out QueueOrder order)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        foreach (var (o, name) in Names)
        {
            if (string.Equals(t, name.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
            {
                order = o;
                return true;
            }
        }

        order = default;
        return false;
    }
}
