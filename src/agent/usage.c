/*
 * usage.c — the help text of canhgac-agent, shared by the program people
 * type (main.c) and canhgac-agentd (main_agentd.c), which it becomes for
 * enroll, run and status.
 */
#include <stdio.h>

#include "agent/usage.h"

void
agent_usage(FILE *out)
{
	fputs(
"Cách dùng / usage:\n"
"  canhgac-agent audit [--root THƯ_MỤC] [--policy TỆP|THƯ_MỤC] [--config TỆP]\n"
"                      [--format text|json|html] [--output TỆP] [--lang vi|en]\n"
"                      [--color auto|always|never] [--only BỘ_THU_THẬP,...] [-v]\n"
"  canhgac-agent facts [--root THƯ_MỤC] [--config TỆP] [--only BỘ_THU_THẬP,...]\n"
"  canhgac-agent policy check [--policy TỆP|THƯ_MỤC] [--config TỆP]\n"
"  canhgac-agent policy doc checks|facts [--policy TỆP|THƯ_MỤC]\n"
"  canhgac-agent -n [--config TỆP] [--policy TỆP|THƯ_MỤC]\n"
"  canhgac-agent enroll --server https://MÁY:CỔNG --token MÃ\n"
"                       --ca-fingerprint SHA256:… [--state THƯ_MỤC] [--force]\n"
"                       [--root THƯ_MỤC] [--config TỆP]\n"
"  canhgac-agent run [--once] [--state THƯ_MỤC] [--root THƯ_MỤC]\n"
"                    [--config TỆP] [--policy TỆP|THƯ_MỤC] [-v]\n"
"  canhgac-agent status [--state THƯ_MỤC] [--config TỆP]\n"
"  canhgac-agent secrets [--format text|json] [--ocr] [--lang vi|en]\n"
"                        [--cache TỆP | --no-cache] [--jobs N] [--max-file CỠ]\n"
"                        [--time-limit GIÂY] [--exclude MẪU]... ĐƯỜNG_DẪN...\n"
"  canhgac-agent --version | --help\n"
"\n"
"audit   kiểm tra máy này (hoặc ổ đĩa gắn tại --root) theo công văn về an toàn\n"
"        thông tin và in báo cáo / audit this computer (or the disk mounted at\n"
"        --root) against the directive and print the report\n"
"facts   in thông tin thu thập dạng JSON / print the collected facts as JSON\n"
"policy  kiểm tra hoặc lập tài liệu bộ tiêu chí / check or document the policy\n"
"enroll  đăng ký máy này với máy chủ canhgacd / enrol this computer with the\n"
"        canhgacd server\n"
"run     kiểm tra định kỳ và gửi báo cáo qua hàng đợi bền vững / audit on\n"
"        schedule and upload the reports through the durable queue\n"
"status  tình trạng đăng ký và hàng đợi / enrolment and queue status\n"
"secrets tìm tài liệu mang độ mật (MẬT, TỐI MẬT, TUYỆT MẬT) / find documents\n"
"        marked with a secrecy degree (canhgac-agent secrets --help)\n"
"-n      kiểm tra tệp cấu hình và bộ tiêu chí rồi thoát / check the\n"
"        configuration and the policy, then exit\n"
"\n"
"Mã thoát / exit status: 0 không có vi phạm mức cao hoặc nghiêm trọng / no high\n"
"or critical check failed; 1 có / one did; 2 lỗi cách dùng hoặc cấu hình / usage\n"
"or configuration error. run --once: 0 mọi báo cáo đã được máy chủ xác nhận /\n"
"everything was acknowledged; 3 còn báo cáo trong hàng đợi / something stays\n"
"queued. Xem / see canhgac-agent(8).\n", out);
}
