using System.Buffers.Binary;
using System.Text;

namespace PneumoniaPortal.Training.Native;

/// <summary>
/// Byte-level edits of an ELF64 little-endian shared library's symbol versioning, the two edits the native runtime fix-up
/// (README, "Native runtime on Debian 12") needs: mark a version requirement weak, and clear one symbol's version.
/// </summary>
public static class ElfVersionPatcher
{
    const uint ShtDynsym = 11, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
    const ushort VerFlgWeak = 0x2, VerNdxGlobal = 1;

    public sealed record PatchResult(bool RequirementMadeWeak, bool SymbolVersionCleared)
    {
        public bool Changed => RequirementMadeWeak || SymbolVersionCleared;
    }

    /// <summary>Reports whether <paramref name="requirement"/> is still a hard (non-weak) requirement.</summary>
    public static bool HasHardRequirement(byte[] elf, string requirement)
    {
        var layout = Read(elf);
        return FindVernaux(elf, layout, requirement) is { } aux
            && (BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(aux + 4)) & VerFlgWeak) == 0;
    }

    /// <summary>Edits <paramref name="elf"/> in memory; returns what changed (nothing when already patched).</summary>
    public static PatchResult Patch(byte[] elf, string requirement, string symbol)
    {
        var layout = Read(elf);
        bool madeWeak = false, cleared = false;
        if (FindVernaux(elf, layout, requirement) is { } aux)
        {
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(aux + 4));
            if ((flags & VerFlgWeak) == 0)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(aux + 4), (ushort)(flags | VerFlgWeak));
                madeWeak = true;
            }
        }
        var symbolIndex = FindDynamicSymbol(elf, layout, symbol);
        if (symbolIndex >= 0)
        {
            var at = (int)layout.Versym.Offset + 2 * symbolIndex;
            if (BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(at)) > VerNdxGlobal)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(at), VerNdxGlobal);
                cleared = true;
            }
        }
        return new PatchResult(madeWeak, cleared);
    }

    readonly record struct Section(uint Type, ulong Offset, ulong Size, uint Link, ulong EntrySize);
    sealed record Layout(Section[] Sections, Section Dynsym, Section Versym, Section? Verneed);

    static Layout Read(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F')
            throw new InvalidDataException("Not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");
        var shoff = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        var sections = new Section[shnum];
        for (var i = 0; i < shnum; i++)
        {
            var s = elf.AsSpan((int)(shoff + (ulong)(i * shentsize)));
            sections[i] = new Section(
                BinaryPrimitives.ReadUInt32LittleEndian(s[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(s[40..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[56..]));
        }
        var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
        var versym = sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
        if (dynsym.Type == 0 || versym.Type == 0) throw new InvalidDataException("The ELF file has no dynamic symbol versions.");
        Section? verneed = sections.Any(s => s.Type == ShtGnuVerneed) ? sections.First(s => s.Type == ShtGnuVerneed) : null;
        return new Layout(sections, dynsym, versym, verneed);
    }

    static string CString(byte[] elf, ulong offset)
    {
        var start = (int)offset;
        var end = Array.IndexOf(elf, (byte)0, start);
        return Encoding.ASCII.GetString(elf, start, end - start);
    }

    /// <summary>File offset of the Vernaux entry naming <paramref name="requirement"/>, or null.</summary>
    static int? FindVernaux(byte[] elf, Layout layout, string requirement)
    {
        if (layout.Verneed is not { } verneed) return null;
        var strtab = layout.Sections[verneed.Link].Offset;
        var need = (int)verneed.Offset;
        while (true)
        {
            var count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(need + 2));
            var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(need + 8));
            for (var i = 0; i < count; i++)
            {
                var name = BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 8));
                if (CString(elf, strtab + name) == requirement) return aux;
                aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 12));
            }
            var next = BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(need + 12));
            if (next == 0) return null;
            need += (int)next;
        }
    }

    static int FindDynamicSymbol(byte[] elf, Layout layout, string symbol)
    {
        var strtab = layout.Sections[layout.Dynsym.Link].Offset;
        var count = (int)(layout.Dynsym.Size / layout.Dynsym.EntrySize);
        for (var i = 1; i < count; i++)
        {
            var name = BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan((int)(layout.Dynsym.Offset + (ulong)i * layout.Dynsym.EntrySize)));
            if (name != 0 && CString(elf, strtab + name) == symbol) return i;
        }
        return -1;
    }
}
