import { typersIn } from '../../stores/typing';

/** "alice is typing…", "alice and bob are typing…", "3 people are typing…". */
export function typingText(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** Who is typing in the chat; always takes its line, so the list does not jump. */
export function TypingLine(props: { chatId: string; nameOf(userId: string): string }) {
  return (
    <div class="typing-line" aria-live="polite" data-testid="typing">
      {typingText(typersIn(props.chatId).map(props.nameOf))}
    </div>
  );
}
