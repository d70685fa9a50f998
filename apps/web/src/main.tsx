import { render } from 'solid-js/web';
import { App } from './app';
import { rememberTransportChoice } from './lib/transport-mode';
import { askForAddress } from './stores/early-open';
import { loadSession } from './stores/session';
import { startTheme } from './stores/theme';
import './styles.css';
import './styles/lists.css';
import './styles/panels.css';
import './styles/messages.css';
import './styles/composer.css';
import './styles/search.css';
import './styles/rich.css';
import './styles/keyboard.css';
import './styles/blocking.css';

startTheme();
rememberTransportChoice();
void loadSession();
// In the same request as the session: a group's details and newest messages (stores/early-open.ts).
askForAddress(location.pathname);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
render(() => <App />, root);
