using System.Text;

namespace PneumoniaPortal.Core.Metrics;

/// <summary>One line of a classification report: a class, or an average over the classes.</summary>
public sealed record ClassReportRow(string ClassName, double Precision, double Recall, double F1, int Support);

/// <summary>Per-class precision, recall and F1 with macro and weighted averages, as sklearn's classification_report.</summary>
public sealed record ClassificationReport(
    IReadOnlyList<ClassReportRow> Classes,
    ClassReportRow MacroAverage,
    ClassReportRow WeightedAverage,
    double Accuracy,
    int Support)
{
    public static ClassificationReport From(ConfusionMatrix m)
    {
        ArgumentNullException.ThrowIfNull(m);

        // NORMAL's view of the same matrix: its "true positives" are the true negatives.
        var normal = new ClassReportRow(
            "NORMAL",
            m.NegativePredictiveValue,
            m.Specificity,
            ConfusionMatrix.Ratio(2.0 * m.TrueNegative, 2.0 * m.TrueNegative + m.FalseNegative + m.FalsePositive),
            m.Negatives);
        var pneumonia = new ClassReportRow("PNEUMONIA", m.Precision, m.Sensitivity, m.F1, m.Positives);
        ClassReportRow[] classes = [normal, pneumonia];

        int total = m.Total;
        var macro = new ClassReportRow(
            "macro avg",
            classes.Average(c => c.Precision),
            classes.Average(c => c.Recall),
            classes.Average(c => c.F1),
            total);
        var weighted = new ClassReportRow(
            "weighted avg",
            WeightedBySupport(classes, c => c.Precision, total),
            WeightedBySupport(classes, c => c.Recall, total),
            WeightedBySupport(classes, c => c.F1, total),
            total);

        return new ClassificationReport(classes, macro, weighted, m.Accuracy, total);
    }

    public string ToText() => ToText(2);

    /// <summary>The fixed-width table sklearn prints, column for column, so students can compare it with notebook output.</summary>
    public string ToText(int digits)
    {
        if (digits < 0 || digits > 10)
            throw new ArgumentOutOfRangeException(nameof(digits), digits, "Digits must be between 0 and 10.");

        int width = Math.Max("weighted avg".Length, Classes.Count == 0 ? 0 : Classes.Max(c => c.ClassName.Length));
        string number = "F" + digits;
        var text = new StringBuilder();

        text.Append(new string(' ', width)).Append(' ');
        foreach (var header in new[] { "precision", "recall", "f1-score", "support" })
            text.Append(' ').Append(header.PadLeft(9));
        text.Append("\n\n");

        void AppendRow(ClassReportRow row)
        {
            text.Append(row.ClassName.PadLeft(width)).Append(' ');
            foreach (var value in new[] { row.Precision, row.Recall, row.F1 })
                text.Append(' ').Append(Format.Number(value, number).PadLeft(9));
            text.Append(' ').Append(row.Support.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(9));
            text.Append('\n');
        }

        foreach (var row in Classes)
            AppendRow(row);
        text.Append('\n');

        // Accuracy has no precision or recall; sklearn leaves those two columns blank.
        text.Append("accuracy".PadLeft(width)).Append(' ')
            .Append(' ').Append(new string(' ', 9))
            .Append(' ').Append(new string(' ', 9))
            .Append(' ').Append(Format.Number(Accuracy, number).PadLeft(9))
            .Append(' ').Append(Support.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(9))
            .Append('\n');
        AppendRow(MacroAverage);
        AppendRow(WeightedAverage);
        return text.ToString();
    }

    private static double WeightedBySupport(IReadOnlyList<ClassReportRow> classes, Func<ClassReportRow, double> value, int total) =>
        ConfusionMatrix.Ratio(classes.Sum(c => value(c) * c.Support), total);
}
