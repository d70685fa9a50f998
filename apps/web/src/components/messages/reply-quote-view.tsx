import { quoteText, type ReplyQuote } from '../../lib/reply-quote';

/**
 * A reply's quote of the message it answers, above the reply's text: the
 * original's author and first line ("Image", "Deleted message"). A button:
 * it shows the original in the conversation.
 */
export function ReplyQuoteView(props: { quote: ReplyQuote; author: string; onOpen(): void }) {
  return (
    <button
      type="button"
      class="reply-quote"
      classList={{ deleted: props.quote.deleted }}
      data-reply-to={props.quote.messageId}
      title="Show the original message"
      aria-label={`Reply to ${props.author}: ${quoteText(props.quote)}. Show the original message`}
      onClick={(e) => {
        e.stopPropagation();
        props.onOpen();
      }}
    >
      <span class="reply-quote-author">{props.author}</span>{' '}
      <span class="reply-quote-text">{quoteText(props.quote)}</span>
    </button>
  );
}
