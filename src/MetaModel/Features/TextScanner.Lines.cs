namespace MetaModel.Features;

/// <content>
/// Line-start patterns: the first three non-blank characters of each line decide whether it is a
/// multiple-choice option ("A)", "b.", "(c)") or a list item ("- ", "* ", "• ", "1.", "12)").
/// </content>
internal ref partial struct TextScanner
{
    private void ObserveLineStart(char c)
    {
        // _lineState counts the non-blank characters seen at the start of the line, or is −1 once decided.
        if (_lineState == 0)
        {
            if (c is not (' ' or '\t' or '\r'))
            {
                _line0 = c;
                _lineState = 1;
            }
        }
        else if (_lineState == 1)
        {
            _line1 = c;
            _lineState = 2;
        }
        else
        {
            Classify(c);
            _lineState = -1;
        }
    }

    private void EndLine()
    {
        if (_lineState > 0)
        {
            Classify(' ');
        }

        _lineState = -1;
    }

    private void Classify(char third)
    {
        bool optionLetter = (uint)(_line0 - 'a') <= 'e' - 'a';
        if ((optionLetter && _line1 is ')' or '.' or ':' && third == ' ')
            || (_line0 == '(' && (uint)(_line1 - 'a') <= 'e' - 'a' && third == ')'))
        {
            ChoiceLines++;
        }
        else if ((_line0 is '-' or '*' or '•' && _line1 == ' ')
            || ((uint)(_line0 - '0') <= 9 && (_line1 is '.' or ')' || ((uint)(_line1 - '0') <= 9 && third is '.' or ')'))))
        {
            ListLines++;
        }
    }
}
